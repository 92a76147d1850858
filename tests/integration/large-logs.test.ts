// A verbose step: 50,000 lines written through the worker's log writer reach a live stream opened
// on the running build, every one, in order, without gaps; GET …/logs reads the step's tail with how
// many lines come before it, and pages backwards from there to the first line.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { ensureBootstrapToken } from "@/lib/server/auth/tokens";
import { StepLog } from "@/lib/worker/step-log";
import { GET as eventsGet } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/events/route";
import { GET as logsGet } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/logs/route";
import { GET as buildGet } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/route";
import { createStage } from "../support/engine";
import { call } from "../support/auth";
import { lineSeqs, openStream } from "../support/sse";

const TOKEN = "bootstrap-token-for-the-large-logs-test-0123";
const LINES = 50_000;
let buildId = 0;

beforeAll(async () => {
  await ensureBootstrapToken(TOKEN);
  const stage = await createStage("verbose");
  const build = await db.build.create({
    data: {
      stageId: stage.id,
      number: 1,
      kind: "deploy",
      status: "running",
      commitSha: "a1",
      commitMessage: "m",
      triggeredBy: "test",
      target: {},
    },
  });
  buildId = build.id;
  await db.step.createMany({
    data: [
      { buildId, key: "api", service: "api", action: "update", status: "running", phase: 1, position: 0, after: [] },
      { buildId, key: "web", service: "web", action: "update", status: "running", phase: 1, position: 1, after: [] },
    ],
  });
});

const logs = (qs: string) =>
  call(logsGet, `/x?${qs}`, { app: "verbose", stage: "prod", number: "1" }, { token: TOKEN }).then((r) => {
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as { lines: { seq: number; text: string; service: string }[]; prevBefore: number | null; earlier: number };
  });

describe("a 50,000-line step", () => {
  it("streams every line live, in order, and the API reads its tail and pages backwards", async () => {
    const stream = await openStream(
      eventsGet,
      "/api/apps/verbose/stages/prod/builds/1/events",
      { app: "verbose", stage: "prod", number: "1" },
      { authorization: `Bearer ${TOKEN}` },
    );
    const api = new StepLog(buildId, "api");
    const web = new StepLog(buildId, "web");
    const t0 = performance.now();
    for (let i = 1; i <= LINES; i++) {
      api.log(`api line ${i}`);
      if (i % 10 === 0) web.log(`web line ${i / 10}`);
      if (i % 5000 === 0) await new Promise((r) => setImmediate(r)); // a command's output arrives in chunks
    }
    await Promise.all([api.flush(), web.flush()]);
    const total = LINES + LINES / 10;
    await db.build.update({ where: { id: buildId }, data: { status: "success", finishedAt: new Date() } });
    await stream.done;
    const seconds = (performance.now() - t0) / 1000;
    const seqs = lineSeqs(stream.events);
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    console.log(`[large-logs] ${total} lines written and streamed in ${seconds.toFixed(2)} s (${Math.round(total / seconds)} lines/s)`);

    // the build says where its log ends: a page streams after it and reads the tails
    const b = await call(buildGet, "/x", { app: "verbose", stage: "prod", number: "1" }, { token: TOKEN });
    expect(b.body.build.logSeq).toBe(total);

    const tail = await logs("step=api&tail=1000");
    expect(tail.lines.map((l) => l.text)).toEqual(Array.from({ length: 1000 }, (_, i) => `api line ${LINES - 999 + i}`));
    expect(tail.earlier).toBe(LINES - 1000);
    const before = await logs(`step=api&before=${tail.prevBefore}&limit=5000`);
    expect(before.lines.map((l) => l.text)).toEqual(Array.from({ length: 5000 }, (_, i) => `api line ${LINES - 5999 + i}`));
    expect(before.earlier).toBe(LINES - 6000);
    const start = await logs(`step=api&before=${before.lines[10]!.seq}&limit=5000`);
    expect(start.earlier).toBe(LINES - 6000 - 5000 + 10);
    const web2 = await logs("step=web&tail=3");
    expect([web2.lines.map((l) => l.text), web2.earlier]).toEqual([["web line 4998", "web line 4999", "web line 5000"], 4997]);
    const first = await logs("step=web&before=3&limit=10");
    expect([first.lines.map((l) => l.text), first.earlier, first.prevBefore]).toEqual([[], 0, null]);
  }, 60_000);
});
