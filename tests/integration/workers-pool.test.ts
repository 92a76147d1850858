// Several worker processes on one database: three workers, 30 stages in 3 apps each deploying a
// 2-service chain, one worker SIGKILLed mid-run. Every build ends; from the database's own records
// (step_runs, written by a trigger as steps change status), each step was finished by exactly one
// worker and never ran on two at once; the dead worker's steps were taken over within the lease;
// and no app ever had more builds running than its cap.
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

const LEASE_MS = 1500;
const CAP = 3;
const APPS = ["pool-a", "pool-b", "pool-c"];
const STAGES_PER_APP = 10;
const workers: ChildProcess[] = [];

afterAll(() => {
  for (const w of workers) w.kill("SIGKILL");
});

describe("three workers, one killed mid-run", () => {
  it("ends every build, each step finished by exactly one worker, the dead one's steps taken over within the lease, the per-app cap held", async () => {
    await db.setting.create({ data: { key: BUILDS_PER_APP_KEY, value: String(CAP) } });
    for (const app of APPS) {
      await db.app.create({
        data: { name: app, stages: { create: Array.from({ length: STAGES_PER_APP }, (_, i) => ({ name: `s${i}` })) } },
      });
    }
    const env = { SPROUT_LEASE_MS: String(LEASE_MS), SPROUT_HEARTBEAT_MS: "500", SPROUT_WORKER_BUILDS: "4" };
    workers.push(...(await Promise.all([spawnWorker(env), spawnWorker(env), spawnWorker(env)])));
    await waitFor("3 heartbeats", async () => (await db.worker.count({ where: { stoppedAt: null } })) === 3);

    // a 2-service chain per stage, sub-second steps: the second imports the first's export
    for (const app of APPS) {
      const ref = await appRef(app);
      for (let i = 0; i < STAGES_PER_APP; i++) {
        await deploy({
          app: ref,
          stage: `s${i}`,
          input: ZDeployBody.parse({
            commit: commit(`chain ${i}`),
            services: [
              { name: "base", template: service({ exports: ["Base-${stage}"], seconds: 0.4 }) },
              { name: "api", template: service({ imports: ["Base-${stage}"], seconds: 0.4 }) },
            ],
          }),
          actor: TEST_ACTOR,
        });
      }
    }

    // kill the worker that holds the most running steps, while they run
    const victimRow = await waitFor("a worker with running steps", async () => {
      const running = await db.step.findMany({ where: { status: "running" }, select: { workerId: true } });
      if (running.length < 3) return null;
      const rows = await db.worker.findMany({ where: { stoppedAt: null } });
      const byWorker = rows.map((w) => ({ w, n: running.filter((s) => w.lockIds.includes(s.workerId!)).length }));
      return byWorker.sort((a, b) => b.n - a.n)[0]!.n > 0 ? byWorker[0]!.w : null;
    });
    const victim = workers.find((w) => w.pid === victimRow.pid)!;
    const gone = exited(victim);
    victim.kill("SIGKILL");
    await gone;
    const killedAt = Date.now();

    const builds = await waitFor(
      "every build to end",
      async () => {
        const all = await db.build.findMany({ include: { stage: { include: { app: true } } } });
        return all.length === APPS.length * STAGES_PER_APP && all.every((b) => TERMINAL_BUILD_STATUSES.includes(b.status)) ? all : null;
      },
      30_000,
    ).catch(async (e) => {
      // what a stuck pool looks like, to tell why: the open builds, the jobs, the workers
      const open = await db.build.findMany({ where: { status: { in: ["queued", "running"] } }, include: { steps: true } });
      const jobs =
        await db.$queryRaw`SELECT task_identifier, key, queue_name, run_at, now() AS now, attempts, last_error, locked_by, flags FROM graphile_worker.jobs`;
      console.error(
        "[workers-pool] open builds, jobs and workers:",
        JSON.stringify(open.map((b) => [b.id, b.status, b.workerId, b.leaseUntil, b.steps.map((s) => [s.key, s.status])])),
        JSON.stringify(jobs),
        JSON.stringify(await db.worker.findMany()),
      );
      throw e;
    });
    expect(builds.map((b) => [b.id, b.status, b.error])).toEqual(builds.map((b) => [b.id, "success", null]));

    const steps = await db.step.findMany({ include: { runs: { orderBy: { id: "asc" } } } });
    expect(steps).toHaveLength(60);
    const lostRuns: { startedAt: Date; next: Date }[] = [];
    for (const step of steps) {
      const finished = step.runs.filter((r) => r.outcome !== "pending");
      // a step run again after its worker died may find its stack as that worker left it: unchanged
      const outcome = step.runs.length > 1 ? expect.stringMatching(/^(success|unchanged)$/) : "success";
      expect(
        finished.map((r) => r.outcome),
        `step ${step.id}: ${JSON.stringify(step.runs)}`,
      ).toEqual([outcome]);
      expect(finished[0]!.workerId).toBe(step.workerId);
      for (let i = 1; i < step.runs.length; i++) {
        // never on two workers at once: a run starts after the one before it ended
        expect(step.runs[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(step.runs[i - 1]!.endedAt!.getTime());
      }
      for (const [i, r] of step.runs.entries()) {
        if (r.outcome !== "pending") continue;
        // a run handed back here only by the killed worker's death
        expect(victimRow.lockIds).toContain(r.workerId);
        lostRuns.push({ startedAt: r.startedAt, next: step.runs[i + 1]!.startedAt });
      }
    }
    expect(lostRuns.length).toBeGreaterThan(0);
    // taken over within the lease (plus the reaper's half-lease period and a margin for this busy machine)
    for (const r of lostRuns) expect(r.next.getTime() - killedAt).toBeLessThan(LEASE_MS + LEASE_MS / 2 + 2000);

    const overlaps = APPS.map((app) => maxOverlap(builds.filter((b) => b.stage.app.name === app)));
    for (const o of overlaps) expect(o).toBeLessThanOrEqual(CAP);
    expect(Math.max(...overlaps)).toBe(CAP); // the cap was reached, so it was what held them
  }, 60_000);
});
