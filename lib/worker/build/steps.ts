import "server-only";
import { db } from "@/lib/server/db";
import { maskSecrets } from "@/lib/core/mask";
import type { TStepStatus } from "@/lib/core/domain";
import { driverFor, driverStage } from "@/lib/server/drivers";
import { DriverError, type TDriverStage } from "@/lib/server/drivers/types";
import { StepLog } from "@/lib/worker/step-log";
import type { TClaimedBuild } from "./claim";
import { act, stepStacks } from "./stack-step";
import type { TRunOptions } from "./types";

// A claimed build's steps, run as a DAG: each starts as soon as its own predecessors succeeded (up
// to a concurrency limit); a step whose predecessor failed, was skipped or canceled is skipped. A
// lease on the build is renewed while it runs; losing it (another worker took over) aborts at once.

const DONE: TStepStatus[] = ["success", "unchanged"];
const BLOCKING: TStepStatus[] = ["failed", "skipped", "canceled"];

type TStep = {
  id: number;
  service: string;
  action: string;
  status: TStepStatus;
  after: string[];
  artifactDigest: string | null;
  error: string | null;
};

export interface TStepsOutcome {
  steps: TStep[];
  /** a cancel was asked for while the steps ran */
  canceled: boolean;
  /** another worker holds the build now: it finishes it */
  lostLease: boolean;
}

export async function runSteps(build: TClaimedBuild, opts: TRunOptions): Promise<TStepsOutcome> {
  const stage: TDriverStage = driverStage(build.stage);
  const driver = await driverFor(build.stage.driver).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
  const steps: TStep[] = await db.step.findMany({ where: { buildId: build.id }, orderBy: { position: "asc" } });
  const byService = new Map(steps.map((s) => [s.service, s]));
  const stacks = await stepStacks(build, [...byService.keys()]);
  const abort = new AbortController();
  const state = { canceled: build.cancelRequested, lostLease: false };
  const heartbeat = keepLease(build.id, opts, state, abort);

  const setStatus = async (s: TStep, status: TStepStatus, data: { error?: string; startedAt?: Date; finishedAt?: Date } = {}) => {
    const from = s.status;
    s.status = status;
    if (data.error !== undefined) s.error = data.error = maskSecrets(data.error);
    await db.step.updateMany({ where: { id: s.id, status: from }, data: { status, ...data } });
  };

  const runStep = async (s: TStep) => {
    await setStatus(s, "running", { startedAt: new Date() });
    const log = new StepLog(build.id, s.service);
    try {
      if (typeof driver === "string") throw new DriverError(driver);
      const status = await act(driver, stacks, stage, s, { log: log.log, signal: abort.signal });
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
      if (!(e instanceof DriverError)) console.error(`[sprout] step ${s.service} of build ${build.id} failed`, e);
      log.log(`\u001b[31m${message}\u001b[0m`);
      await log.flush();
      await setStatus(s, "failed", { error: message, finishedAt: new Date() });
    }
  };

  const ready = (s: TStep) => s.status === "pending" && s.after.every((a) => DONE.includes(byService.get(a)?.status ?? "success"));
  const running = new Map<string, Promise<void>>();
  try {
    for (;;) {
      await skipBlocked(steps, byService, setStatus);
      const startable = steps.some(ready);
      if (startable && !state.canceled) {
        // a cancel must stop the next step from starting, not only the one after the next heartbeat
        const flag = await db.build.findUnique({ where: { id: build.id }, select: { cancelRequested: true } });
        state.canceled = flag?.cancelRequested ?? state.canceled;
      }
      if (startable && !state.canceled && !state.lostLease && !opts.shutdown.aborted) {
        for (const s of steps) {
          if (running.size >= opts.stepConcurrency) break;
          if (running.has(s.service) || !ready(s)) continue;
          running.set(
            s.service,
            runStep(s).finally(() => running.delete(s.service)),
          );
        }
      }
      if (!running.size) break;
      await Promise.race(running.values());
    }
  } finally {
    clearInterval(heartbeat);
  }
  return { steps, ...state };
}

/** Skips, transitively, every pending step with a predecessor that failed, was skipped or canceled. */
async function skipBlocked(
  steps: TStep[],
  byService: Map<string, TStep>,
  setStatus: (s: TStep, st: TStepStatus, d: { error: string }) => Promise<void>,
) {
  for (let changed = true; changed;) {
    changed = false;
    for (const s of steps) {
      if (s.status !== "pending") continue;
      const blocker = s.after.find((a) => BLOCKING.includes(byService.get(a)?.status ?? "success"));
      if (!blocker) continue;
      await setStatus(s, "skipped", { error: `Skipped: ${blocker} did not succeed.` });
      changed = true;
    }
  }
}

/** Renews the lease every third of it; notes a cancel; aborts the steps when the lease is lost. */
function keepLease(buildId: number, opts: TRunOptions, state: { canceled: boolean; lostLease: boolean }, abort: AbortController) {
  return setInterval(
    async () => {
      try {
        const rows = await db.$queryRaw<{ cancel_requested: boolean }[]>`
          UPDATE builds SET lease_until = now() + ${opts.leaseMs}::int * interval '1 millisecond'
          WHERE id = ${buildId} AND worker_id = ${opts.workerId} AND status = 'running' RETURNING cancel_requested`;
        if (!rows.length) {
          state.lostLease = true;
          abort.abort();
        } else if (rows[0]!.cancel_requested) state.canceled = true;
      } catch (e) {
        console.error("[sprout] lease renewal failed", e);
      }
    },
    Math.max(200, Math.floor(opts.leaseMs / 3)),
  );
}
