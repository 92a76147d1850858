// SPROUT_WORKER_BUILDS caps the builds one worker process runs at once. From the database's own
// records (each build's start and end, each step's runs): a worker started with 1 runs six builds of
// six stages one after another, though the app's cap would let all six run; the same with 3 runs
// three at a time, so the measurement does see builds that overlap.
import type { ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { deploy } from "@/lib/server/operations/deploy";
import { ZDeployBody } from "@/lib/core/validation";
import { BUILDS_PER_APP_KEY } from "@/lib/server/data/instance-settings";
import { TERMINAL_BUILD_STATUSES } from "@/lib/core/domain";
import { commit, service, waitFor } from "../support/fixtures";
import { appRef, TEST_ACTOR } from "../support/context";
import { exited, spawnWorker } from "../support/worker-process";
import { maxOverlap } from "../support/overlap";

const STAGES = 6;
let worker: ChildProcess | null = null;

afterAll(() => {
  worker?.kill("SIGKILL");
});

/** Six builds on six stages of `app` run by one worker with SPROUT_WORKER_BUILDS=`builds`; answers the most at once (builds, and steps of different builds). */
async function runWith(app: string, builds: number): Promise<{ builds: number; steps: number }> {
  await db.app.create({ data: { name: app, stages: { create: Array.from({ length: STAGES }, (_, i) => ({ name: `s${i}` })) } } });
  worker = await spawnWorker({ SPROUT_WORKER_BUILDS: String(builds), SPROUT_HEARTBEAT_MS: "500" });
  const ref = await appRef(app);
  // queued together before the worker can end any: each waits only for a free slot
  await Promise.all(
    Array.from({ length: STAGES }, (_, i) =>
      deploy({
        app: ref,
        stage: `s${i}`,
        input: ZDeployBody.parse({ commit: commit(`build ${i}`), services: [{ name: "api", template: service({ seconds: 1 }) }] }),
        actor: TEST_ACTOR,
      }),
    ),
  );
  const ended = await waitFor(
    `the ${STAGES} builds of ${app} to end`,
    async () => {
      const all = await db.build.findMany({ where: { stage: { app: { name: app } } }, include: { steps: { include: { runs: true } } } });
      return all.length === STAGES && all.every((b) => TERMINAL_BUILD_STATUSES.includes(b.status)) ? all : null;
    },
    60_000,
  );
  const stopped = exited(worker);
  worker.kill("SIGTERM");
  await stopped;
  worker = null;
  expect(ended.map((b) => b.status)).toEqual(ended.map(() => "success"));
  const runs = ended.flatMap((b) => b.steps.flatMap((s) => s.runs.map((r) => ({ startedAt: r.startedAt, finishedAt: r.endedAt }))));
  expect(runs).toHaveLength(STAGES);
  return { builds: maxOverlap(ended), steps: maxOverlap(runs) };
}

describe("SPROUT_WORKER_BUILDS", () => {
  it("a worker started with 1 never runs two builds at once; started with 3 it runs three", async () => {
    // the app's own cap would let every build run at once: only the worker's holds them back
    await db.setting.create({ data: { key: BUILDS_PER_APP_KEY, value: String(STAGES) } });
    expect(await runWith("one-slot", 1)).toEqual({ builds: 1, steps: 1 });
    const three = await runWith("three-slots", 3);
    expect(three.builds).toBe(3);
    expect(three.steps).toBeGreaterThan(1);
  }, 150_000);
});
