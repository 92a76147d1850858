import "server-only";
import { db } from "@/lib/server/db";
import { stackName } from "@/lib/core/artifacts";
import { planBuild } from "@/lib/core/planner";
import { substituteStage } from "@/lib/core/templates";
import { liveRelease, serviceStates } from "@/lib/server/data/service-states";
import { stepRows } from "@/lib/server/data/queue-build";
import type { TBuildKind, TRelease, TStepStatus } from "@/lib/core/domain";
import { driverFor } from "@/lib/server/drivers";
import { DriverError, type TDriver, type TDriverStage } from "@/lib/server/drivers/types";
import { StepLog } from "@/lib/worker/step-log";

// Runs one build: claims it, re-plans it if the live state moved since it was queued, then runs its
// steps as a DAG (each starts as soon as its own predecessors succeed, up to a concurrency limit),
// keeps a lease on it while it runs, and records its end and release.

export interface TRunOptions {
  workerId: string;
  leaseMs: number;
  stepConcurrency: number;
  /** aborted on SIGTERM: start no new step, let running ones end, hand the build back */
  shutdown: AbortSignal;
}

/** Thrown to make graphile-worker try the job again later (another build of the stage is running, or a shutdown handed it back). */
export class RetryLater extends Error {}

const DONE: TStepStatus[] = ["success", "unchanged"];
const BLOCKING: TStepStatus[] = ["failed", "skipped", "canceled"];

type TStep = {
  id: number;
  service: string;
  action: string;
  status: TStepStatus;
  after: string[];
  position: number;
  artifactDigest: string | null;
  error: string | null;
};

export async function runBuild(buildId: number, opts: TRunOptions): Promise<void> {
  const build = await db.build.findUnique({ where: { id: buildId }, include: { stage: true } });
  if (!build || build.status === "success" || build.status === "failed" || build.status === "canceled") return;

  const claimed = await db.$executeRaw`
    UPDATE builds SET status = 'running', started_at = COALESCE(started_at, now()), worker_id = ${opts.workerId},
      lease_until = now() + ${opts.leaseMs}::int * interval '1 millisecond'
    WHERE id = ${buildId} AND status = ${build.status}::"BuildStatus"
      AND NOT EXISTS (SELECT 1 FROM builds o WHERE o.stage_id = builds.stage_id AND o.status = 'running' AND o.id <> builds.id)`;
  if (!claimed) {
    const now = await db.build.findUnique({ where: { id: buildId }, select: { status: true } });
    if (now?.status === "canceled") return;
    throw new RetryLater(`another build of stage ${build.stage.name} is running; build #${build.number} waits`);
  }
  const buildLog = new StepLog(buildId, null);
  const resumed = build.status === "running";
  if (resumed) {
    // The worker that ran these steps died mid-step: their outcome is unknown, so they fail.
    const lost = await db.step.updateManyAndReturn({
      where: { buildId, status: "running" },
      data: { status: "failed", finishedAt: new Date(), error: "Worker lost: the worker running this step stopped before it finished." },
      select: { service: true },
    });
    for (const s of lost) buildLog.log(`[sprout] worker lost while ${s.service} was running; marked failed.`);
    buildLog.log(`[sprout] build resumed by worker ${opts.workerId}`);
  } else if (!build.cancelRequested) {
    const replanError = await replanIfLiveMoved(build);
    if (replanError) {
      await db.step.updateMany({ where: { buildId, status: "pending" }, data: { status: "canceled" } });
      await finish(buildId, opts.workerId, "failed", replanError);
      buildLog.log(`[sprout] ${replanError}`);
      await buildLog.flush();
      return;
    }
  }

  const stage: TDriverStage = { id: build.stage.id, name: build.stage.name, region: build.stage.region, endpoint: build.stage.endpoint };
  let driver: TDriver | null = null;
  let driverError: string | null = null;
  try {
    driver = await driverFor(build.stage.driver);
  } catch (e) {
    driverError = e instanceof Error ? e.message : String(e);
  }
  const steps: TStep[] = await db.step.findMany({ where: { buildId }, orderBy: { position: "asc" } });
  const byService = new Map(steps.map((s) => [s.service, s]));
  const abort = new AbortController();
  let canceled = build.cancelRequested;
  let lostLease = false;

  const heartbeat = setInterval(
    async () => {
      try {
        const rows = await db.$queryRaw<{ cancel_requested: boolean }[]>`
        UPDATE builds SET lease_until = now() + ${opts.leaseMs}::int * interval '1 millisecond'
        WHERE id = ${buildId} AND worker_id = ${opts.workerId} AND status = 'running' RETURNING cancel_requested`;
        if (!rows.length) {
          lostLease = true;
          abort.abort();
        } else if (rows[0]!.cancel_requested) canceled = true;
      } catch (e) {
        console.error("[sprout] lease renewal failed", e);
      }
    },
    Math.max(200, Math.floor(opts.leaseMs / 3)),
  );

  const running = new Map<string, Promise<void>>();
  const setStatus = async (s: TStep, status: TStepStatus, data: { error?: string; startedAt?: Date; finishedAt?: Date } = {}) => {
    const from = s.status;
    s.status = status;
    await db.step.updateMany({ where: { id: s.id, status: from }, data: { status, ...data } });
  };

  const runStep = async (s: TStep) => {
    await setStatus(s, "running", { startedAt: new Date() });
    const log = new StepLog(buildId, s.service);
    try {
      if (!driver) throw new DriverError(driverError ?? "no driver");
      const input = { stage, service: s.service, stackName: stackName(s.service, stage.name) };
      let status: TStepStatus = "success";
      if (s.action === "remove") {
        await driver.remove(input, { log: log.log, signal: abort.signal });
      } else {
        const artifact = await db.artifact.findUniqueOrThrow({ where: { digest: s.artifactDigest! } });
        const template = substituteStage(artifact.template, stage.name);
        const { changed } = await driver.deploy({ ...input, template, artifact: artifact.digest }, { log: log.log, signal: abort.signal });
        if (!changed) status = "unchanged";
      }
      await log.flush();
      await db.$transaction(async (tx) => {
        if (s.action === "remove") await tx.liveState.deleteMany({ where: { stageId: stage.id, service: s.service } });
        else {
          const data = { artifactDigest: s.artifactDigest!, buildNumber: build.number };
          await tx.liveState.upsert({
            where: { stageId_service: { stageId: stage.id, service: s.service } },
            create: { stageId: stage.id, service: s.service, ...data },
            update: data,
          });
        }
        s.status = status;
        await tx.step.update({ where: { id: s.id }, data: { status, finishedAt: new Date() } });
      });
    } catch (e) {
      const message = e instanceof DriverError ? e.message : `Unexpected error: ${e instanceof Error ? e.message : String(e)}`;
      if (!(e instanceof DriverError)) console.error(`[sprout] step ${s.service} of build ${buildId} failed`, e);
      log.log(`\u001b[31m${message}\u001b[0m`);
      await log.flush();
      await setStatus(s, "failed", { error: message, finishedAt: new Date() });
    }
  };

  try {
    for (;;) {
      // a step whose predecessor failed, was skipped or canceled can never run
      let changed = true;
      while (changed) {
        changed = false;
        for (const s of steps) {
          if (s.status !== "pending") continue;
          const blocker = s.after.find((a) => BLOCKING.includes(byService.get(a)?.status ?? "success"));
          if (blocker) {
            await setStatus(s, "skipped", { error: `Skipped: ${blocker} did not succeed.` });
            changed = true;
          }
        }
      }
      const startable = steps.some(
        (s) => s.status === "pending" && s.after.every((a) => DONE.includes(byService.get(a)?.status ?? "success")),
      );
      if (startable && !canceled) {
        // a cancel must stop the next step from starting, not only the one after the next heartbeat
        const flag = await db.build.findUnique({ where: { id: buildId }, select: { cancelRequested: true } });
        canceled = flag?.cancelRequested ?? canceled;
      }
      const stopping = canceled || lostLease || opts.shutdown.aborted;
      if (!stopping && startable) {
        for (const s of steps) {
          if (running.size >= opts.stepConcurrency) break;
          if (s.status !== "pending" || running.has(s.service)) continue;
          if (!s.after.every((a) => DONE.includes(byService.get(a)?.status ?? "success"))) continue;
          const p = runStep(s).finally(() => running.delete(s.service));
          running.set(s.service, p);
        }
      }
      if (!running.size) break;
      await Promise.race(running.values());
    }
  } finally {
    clearInterval(heartbeat);
  }
  if (lostLease) return; // another worker took the build over; it finishes it

  const pending = steps.filter((s) => s.status === "pending");
  if (pending.length && opts.shutdown.aborted && !canceled) {
    // graceful shutdown: nothing is running. Expire the lease now: any live worker's reaper then
    // unlocks the job and the build resumes there, whatever graphile-worker records as we exit.
    await db.build.updateMany({ where: { id: buildId, workerId: opts.workerId }, data: { leaseUntil: new Date() } });
    buildLog.log(`[sprout] worker ${opts.workerId} shut down; the build will resume on another worker.`);
    await buildLog.flush();
    throw new RetryLater("worker shut down; build handed back");
  }
  for (const s of pending) await setStatus(s, "canceled");
  const failed = steps.filter((s) => s.status === "failed");
  const status = failed.length ? "failed" : canceled ? "canceled" : "success";
  const error = failed.length ? `${failed.map((s) => s.service).join(", ")} failed: ${failed[0]!.error}` : null;
  await finish(buildId, opts.workerId, status, error);
  await buildLog.flush();
}

async function finish(buildId: number, workerId: string, status: "success" | "failed" | "canceled", error: string | null) {
  const build = await db.build.findUniqueOrThrow({ where: { id: buildId }, select: { stageId: true } });
  const release = await liveRelease(db, build.stageId);
  await db.build.updateMany({
    where: { id: buildId, workerId, status: "running" },
    data: { status, error, release, finishedAt: new Date(), leaseUntil: null },
  });
}

/** A build is planned when queued and again when it starts if the live state changed meanwhile. */
async function replanIfLiveMoved(build: {
  id: number;
  kind: TBuildKind;
  rollbackOf: number | null;
  target: unknown;
  stage: { id: number; name: string };
}): Promise<string | null> {
  const live = await serviceStates(db, build.stage.name, await liveRelease(db, build.stage.id));
  const target = await serviceStates(db, build.stage.name, build.target as TRelease);
  const result = planBuild({ kind: build.kind, live, target, targetLabel: build.rollbackOf ? `#${build.rollbackOf}` : undefined });
  if (!result.ok) return `The live state changed since this build was queued and it can no longer run: ${result.error.message}`;
  const rows = stepRows(result.plan);
  const current = await db.step.findMany({ where: { buildId: build.id }, orderBy: { position: "asc" } });
  const same =
    rows.length === current.length &&
    rows.every(
      (r, i) => r.service === current[i]!.service && r.action === current[i]!.action && r.after.join() === current[i]!.after.join(),
    );
  if (same) return null;
  await db.$transaction([
    db.step.deleteMany({ where: { buildId: build.id } }),
    db.step.createMany({ data: rows.map((r) => ({ ...r, buildId: build.id })) }),
    db.build.update({ where: { id: build.id }, data: { warnings: result.plan.warnings as object[] } }),
  ]);
  return null;
}
