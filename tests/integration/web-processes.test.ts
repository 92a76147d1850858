// Several web processes on one database: two processes, each serving the real events route with
// its own live hub (one LISTEN each), one client on each. A build's events reach both clients whole
// and alike, whichever process the change came through: PostgreSQL's NOTIFY is the only link.
// Build-independent (the route is served by a plain node:http server, tests/support/route-server.ts),
// so it runs in the integration phase; e2e/multi-web.spec.ts does the same with two `next start`.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { ensureBootstrapToken } from "@/lib/server/auth/tokens";
import { deploy } from "@/lib/server/operations/deploy";
import { ZDeployBody } from "@/lib/core/validation";
import { commit, service, waitFor } from "../support/fixtures";
import { createStage } from "../support/engine";
import { startWorker, type TWorker } from "@/lib/worker/start-worker";
import { appRef, TEST_ACTOR } from "../support/context";
import { lineSeqs, readEvents } from "../support/sse";

const TOKEN = "bootstrap-token-for-the-web-processes-test-01";
const webs: { proc: ChildProcess; port: number }[] = [];
let worker: TWorker | undefined;

function startWeb(): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/support/route-server.ts"], {
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stderr!.on("data", (d) => (out += d));
  return new Promise((resolve, reject) => {
    proc.stdout!.on("data", (d) => {
      out += d;
      const m = /listening on (\d+)/.exec(out);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.on("exit", (code) => reject(new Error(`web process exited (${code}):\n${out}`)));
  });
}

beforeAll(async () => {
  await ensureBootstrapToken(TOKEN);
  webs.push(...(await Promise.all([startWeb(), startWeb()])));
});
afterAll(async () => {
  await worker?.stop();
  for (const w of webs) w.proc.kill("SIGTERM");
});

describe("two web processes on one database", () => {
  it("a client on each sees the same build events: every snapshot's end, every log line, the end", async () => {
    await createStage("two-webs");
    const queued = await deploy({
      app: await appRef("two-webs"),
      stage: "prod",
      input: ZDeployBody.parse({
        commit: commit("seen from both"),
        services: [
          { name: "base", template: service({ exports: ["Base-${stage}"], seconds: 0.6 }) },
          { name: "api", template: service({ imports: ["Base-${stage}"], seconds: 0.6 }) },
        ],
      }),
      actor: TEST_ACTOR,
    });
    const clients = await Promise.all(
      webs.map(async ({ port }) => {
        const res = await fetch(`http://127.0.0.1:${port}/api/apps/two-webs/stages/prod/builds/${queued.number}/events`, {
          headers: { authorization: `Bearer ${TOKEN}`, accept: "text/event-stream" },
        });
        expect(res.status).toBe(200);
        return readEvents(res);
      }),
    );
    // each process holds its own one LISTEN while its client watches (it is set up as the stream starts)
    const listeners = () => db.$queryRaw<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'sprout-live'`;
    await waitFor("a LISTEN in each web process", async () => (await listeners()).length === 2, 10_000);
    // the build runs only now that both clients watch it: each must see it queued, running and ended
    worker = await startWorker({ quiet: true, leaseMs: 3000 });

    await Promise.all(clients.map((c) => c.done));
    const [a, b] = clients.map((c) => ({
      statuses: c.events.flatMap((e) => (e.event === "build" ? [e.data.build!.status] : [])),
      last: c.events.filter((e) => e.event === "build").at(-1)!.data.build!,
      seqs: lineSeqs(c.events),
      ended: c.events.at(-1)!.event,
    }));
    const build = await db.build.findFirstOrThrow({ where: { number: queued.number, stage: { app: { name: "two-webs" } } } });
    for (const c of [a!, b!]) {
      expect(c.ended).toBe("end");
      expect(c.last.status).toBe("success");
      expect(c.last.steps.map((s) => [s.service, s.status])).toEqual([
        ["base", "success"],
        ["api", "success"],
      ]);
      expect(c.seqs).toEqual(Array.from({ length: build.logSeq }, (_, i) => i + 1));
      expect(c.statuses).toContain("running");
    }
    expect((await listeners()).length).toBe(2); // still one each, whatever they streamed
  });
});
