// Live streams under load and through a database reconnect, through the real events route: every
// client, whenever it joins or resumes, gets each log line of the build exactly once and in order,
// the same lines GET …/logs answers, and the build's final state.
import { beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { db } from "@/lib/server/db";
import { ensureBootstrapToken } from "@/lib/server/auth/tokens";
import { deploy } from "@/lib/server/operations/deploy";
import { GET as eventsGet } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/events/route";
import { GET as logsGet } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/logs/route";
import { ZDeployBody } from "@/lib/core/validation";
import { commit, service, waitFor } from "../support/fixtures";
import { createStage, withWorker } from "../support/engine";
import { appRef, TEST_ACTOR } from "../support/context";
import { call } from "../support/auth";
import { withDatabase } from "../support/database";
import { lineSeqs, openStream } from "../support/sse";

withWorker();

const TOKEN = "bootstrap-token-for-the-live-streams-test-0123";
const auth = { authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  await ensureBootstrapToken(TOKEN);
});

/** A build of 8 services, each importing 5 exports of a base: about 150 log lines over a few seconds. */
async function busyBuild(app: string, seconds: number) {
  await createStage(app);
  const exports = [1, 2, 3, 4, 5].map((i) => `E${i}-\${stage}`);
  const consumers = Array.from({ length: 8 }, (_, i) => ({ name: `c${i}`, template: service({ imports: exports, seconds }) }));
  const queued = await deploy({
    app: await appRef(app),
    stage: "prod",
    input: ZDeployBody.parse({
      commit: commit("busy"),
      services: [{ name: "base", template: service({ exports, seconds: 0.3 }) }, ...consumers],
    }),
    actor: TEST_ACTOR,
  });
  return queued.number;
}

const open = (app: string, number: number, headers: Record<string, string> = {}) =>
  openStream(
    eventsGet,
    `/api/apps/${app}/stages/prod/builds/${number}/events`,
    { app, stage: "prod", number: String(number) },
    {
      ...auth,
      ...headers,
    },
  );

async function logsFromApi(app: string, number: number): Promise<number[]> {
  const res = await call(logsGet, `/x?limit=5000`, { app, stage: "prod", number: String(number) }, { token: TOKEN });
  expect(res.status).toBe(200);
  return (res.body.lines as { seq: number }[]).map((l) => l.seq);
}

const within = <T>(ms: number, what: string, p: Promise<T>) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);

describe("many clients joining a running build", () => {
  it("each gets every line after its position exactly once, in order, as GET …/logs has them", async () => {
    const app = "crowd";
    const number = await busyBuild(app, 1.5);
    const build = await db.build.findFirstOrThrow({ where: { number, stage: { app: { name: app } } } });
    const clients: { after: number; stream: Awaited<ReturnType<typeof open>> }[] = [];
    // 200 clients join while lines are written; every other one resumes from a line it had seen
    const joins = Array.from({ length: 200 }, (_, i) =>
      (async () => {
        await new Promise((r) => setTimeout(r, Math.random() * 3000));
        const { logSeq } = await db.build.findUniqueOrThrow({ where: { id: build.id }, select: { logSeq: true } });
        const after = i % 2 ? Math.floor(Math.random() * (logSeq + 1)) : 0;
        clients.push({ after, stream: await open(app, number, after ? { "last-event-id": String(after) } : {}) });
      })(),
    );
    await Promise.all(joins);
    await within(60_000, "every stream to end with the build", Promise.all(clients.map((c) => c.stream.done)));
    const all = await logsFromApi(app, number);
    expect(all.length).toBeGreaterThan(100);
    let missed = 0;
    for (const c of clients) {
      const got = lineSeqs(c.stream.events);
      if (JSON.stringify(got) !== JSON.stringify(all.filter((s) => s > c.after))) missed++;
      expect(c.stream.events.at(-1)!.event).toBe("end");
    }
    expect(missed, "clients whose lines differ from GET …/logs").toBe(0);
  }, 90_000);
});

describe("a database reconnect", () => {
  it("open streams still get every later change and log line after the LISTEN session is terminated mid-build", async () => {
    const app = "reconnect";
    const number = await busyBuild(app, 2.5);
    const streams = await Promise.all([0, 0, 0].map(() => open(app, number)));
    await waitFor("the streams to get log lines", async () => streams.every((s) => lineSeqs(s.events).length > 0));
    // PostgreSQL ends the hub's LISTEN session, and refuses new connections for a while, so that the
    // first attempts to LISTEN again fail too
    const dbName = new URL(process.env.DATABASE_URL!).pathname.slice(1);
    const admin = new pg.Client({ connectionString: withDatabase(process.env.DATABASE_URL!, "postgres") });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS false`);
      const killed = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query = 'LISTEN sprout_events'",
        [dbName],
      );
      expect(killed.rowCount).toBe(1);
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      await admin.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await within(40_000, "every stream to end with the build", Promise.all(streams.map((s) => s.done)));
    const all = await logsFromApi(app, number);
    const final = await db.build.findFirstOrThrow({ where: { number, stage: { app: { name: app } } } });
    for (const s of streams) {
      expect(lineSeqs(s.events)).toEqual(all);
      const last = s.events.filter((e) => e.event === "build").at(-1)!;
      expect(last.data.build!.status).toBe(final.status);
      expect(s.events.at(-1)!.event).toBe("end");
    }
  }, 90_000);
});
