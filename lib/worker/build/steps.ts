import "server-only";
import { db } from "@/lib/server/db";
import { secretMasker } from "@/lib/core/mask";
import type { TStepStatus } from "@/lib/core/domain";
import type { TVariables } from "@/lib/core/variables";
import { driverFor, driverStage } from "@/lib/server/drivers";
import { DriverError, StepStopped, type TDriverStage, type TStopReason } from "@/lib/server/drivers/types";
import { withDbRetry } from "@/lib/server/db-retry";
import { secretValues, stageVariables } from "@/lib/server/data/stage-variables";
import { StepLog } from "@/lib/worker/step-log";
import type { TClaimedBuild } from "./claim";
import { act, stepStacks } from "./stack-step";
import type { TRunOptions } from "./types";
import { watchBuild } from "./watch";

// A claimed build's steps, run as a DAG: each starts as soon as its own predecessors succeeded (up
// to a concurrency limit); a step whose predecessor failed or was skipped is skipped. The running
// steps' signal aborts, with its reason, on a cancel (they end `canceled`), when another worker
// took the build over, and when a shutdown's drain time is over (they go back to `pending` for the
// next worker). Each step also has the stage's time limit (it fails, "Timed out after N min").

const DONE: TStepStatus[] = ["success", "unchanged"];
/** A source build's own steps, run by the executor it hands over rather than by a driver. */
const SOURCE_ACTIONS = new Set(["checkout", "package"]);
// a canceled step stops nothing after it: its dependents stay pending and end canceled with the build
const BLOCKING: TStepStatus[] = ["failed", "skipped"];

export type TStep = {
  id: number;
  key: string;
  service: string | null;
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

/** Runs a source build's own steps (checkout, package): what they did is not a stack's. */
export type TSourceExecutor = (s: TStep, ctx: { log: (line: string) => void; signal: AbortSignal }) => Promise<void>;

/**
 * `variables`: the stage's, read once when the build (re)started; a source build reads them before
 * its first steps and gives the same to its build commands, so that the masker knows every secret they get.
 */
export async function runSteps(
  build: TClaimedBuild,
  opts: TRunOptions,
  source?: TSourceExecutor,
  variables?: TVariables,
): Promise<TStepsOutcome> {
  const stage: TDriverStage = driverStage(build.stage);
  const driver = await driverFor(build.stage.driver).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
  const steps: TStep[] = await withDbRetry("loading a build's steps", () =>
    db.step.findMany({ where: { buildId: build.id }, orderBy: { position: "asc" } }),
  );
  const byKey = new Map(steps.map((s) => [s.key, s]));
  variables ??= await readVariables(build);
  const mask = secretMasker(secretValues(variables));
  const stacks = await stepStacks(
    build,
    steps.flatMap((s) => (s.service && !SOURCE_ACTIONS.has(s.action) ? [s.service] : [])),
    variables,
  );
  const abort = new AbortController();
  const stop = (reason: TStopReason) => abort.signal.aborted || abort.abort(reason);
  const state = { canceled: build.cancelRequested, lostLease: false };
  const cancel = () => {
    state.canceled = true;
    stop({ kind: "cancel" });
  };
  const stopWatching = watchBuild(build.id, opts, {
    cancel,
    lostLease: () => {
      state.lostLease = true;
      stop({ kind: "lost-lease" });
    },
  });
  const onHardStop = () => stop({ kind: "shutdown" });
  opts.hardStop.addEventListener("abort", onHardStop, { once: true });
  if (opts.hardStop.aborted) onHardStop();
  const limit = stepLimit(build.stage.stepTimeoutMinutes);
  const packageLimit = stepLimit(build.stage.packageTimeoutMinutes);

  const setStatus = async (
    s: TStep,
    status: TStepStatus,
    data: { error?: string | null; startedAt?: Date | null; finishedAt?: Date; workerId?: string } = {},
  ) => {
    const from = s.status;
    s.status = status;
    if (typeof data.error === "string") data.error = mask(data.error);
    if (data.error !== undefined) s.error = data.error;
    const { count } = await withDbRetry(`recording step ${s.key} as ${status}`, () =>
      db.step.updateMany({ where: { id: s.id, status: from }, data: { status, ...data } }),
    );
    return count === 1;
  };

  /** A step that did not succeed: stopped (canceled, handed back, timed out) or failed. */
  const ended = async (s: TStep, e: unknown, log: StepLog) => {
    if (e instanceof StepStopped && e.reason.kind === "shutdown") {
      log.log(`[sprout] handed back: the next worker runs ${s.key} again.`);
      await log.flush();
      return setStatus(s, "pending", { startedAt: null, error: null });
    }
    if (e instanceof StepStopped && e.reason.kind === "cancel") {
      await log.flush();
      return setStatus(s, "canceled", { error: e.message, finishedAt: new Date() });
    }
    const message = e instanceof DriverError ? e.message : `Unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    if (!(e instanceof DriverError)) console.error(`[sprout] step ${s.key} of build ${build.id} failed`, e);
    if (!(e instanceof StepStopped)) log.log(`\u001b[31m${message}\u001b[0m`);
    await log.flush();
    await setStatus(s, "failed", { error: message, finishedAt: new Date() });
  };

  const runStep = async (s: TStep) => {
    // the worker is recorded with the status: the steps_runs trigger opens this run under its name
    if (!(await setStatus(s, "running", { startedAt: new Date(), workerId: opts.workerId }))) {
      // not pending any more: another worker took the build over and runs it; this one stops
      state.lostLease = true;
      stop({ kind: "lost-lease" });
      return;
    }
    const log = new StepLog(build.id, s.key, mask);
    const own = SOURCE_ACTIONS.has(s.action);
    const { ms, label } = own ? packageLimit : limit;
    const overtime = new AbortController();
    const timer = setTimeout(() => overtime.abort({ kind: "timeout", limit: label } satisfies TStopReason), ms);
    try {
      const signal = AbortSignal.any([abort.signal, overtime.signal]);
      if (own) {
        if (!source) throw new DriverError(`No runner for the ${s.action} step ${s.key}.`);
        await source(s, { log: log.log, signal });
        await log.flush();
        await withDbRetry(`recording the end of step ${s.key}`, () =>
          db.step.update({ where: { id: s.id }, data: { status: "success", finishedAt: new Date(), artifactDigest: s.artifactDigest } }),
        );
        s.status = "success";
        return;
      }
      if (typeof driver === "string") throw new DriverError(driver);
      const service = s.service!;
      const status = await act(driver, stacks, stage, { ...s, service }, { log: log.log, signal });
      await log.flush();
      await withDbRetry(`recording the end of step ${s.key}`, () =>
        db.$transaction(async (tx) => {
          if (s.action === "remove") await tx.liveState.deleteMany({ where: { stageId: stage.id, service } });
          else {
            const data = { artifactDigest: s.artifactDigest!, buildNumber: build.number };
            await tx.liveState.upsert({
              where: { stageId_service: { stageId: stage.id, service } },
              create: { stageId: stage.id, service, ...data },
              update: data,
            });
          }
          await tx.step.update({ where: { id: s.id }, data: { status, finishedAt: new Date() } });
        }),
      );
      s.status = status;
    } catch (e) {
      await ended(s, e, log);
    } finally {
      clearTimeout(timer);
    }
  };

  const ready = (s: TStep) => s.status === "pending" && s.after.every((a) => DONE.includes(byKey.get(a)?.status ?? "success"));
  const running = new Map<string, Promise<void>>();
  try {
    for (;;) {
      await skipBlocked(steps, byKey, setStatus);
      const startable = steps.some(ready);
      if (startable && !state.canceled) {
        // a cancel must stop the next step from starting, not only the one after the next look
        const flag = await withDbRetry("reading a build's cancel flag", () =>
          db.build.findUnique({ where: { id: build.id }, select: { cancelRequested: true } }),
        );
        if (flag?.cancelRequested) cancel();
      }
      if (startable && !state.canceled && !state.lostLease && !opts.shutdown.aborted) {
        for (const s of steps) {
          if (running.size >= opts.stepConcurrency) break;
          if (running.has(s.key) || !ready(s)) continue;
          running.set(
            s.key,
            runStep(s).finally(() => running.delete(s.key)),
          );
        }
      }
      if (!running.size) break;
      await Promise.race(running.values());
    }
  } finally {
    stopWatching();
    opts.hardStop.removeEventListener("abort", onHardStop);
  }
  return { steps, ...state };
}

/** Read when the build (re)starts: the variables of the stage it runs in, whatever stage its artifacts came from. */
export function readVariables(build: TClaimedBuild): Promise<TVariables> {
  return withDbRetry("reading the stage's variables", () => stageVariables(build.stage.id));
}

/** The stage's step time limit, and how a log says it: "60 min", or "30 s" under a minute. */
function stepLimit(minutes: number): { ms: number; label: string } {
  const ms = Math.round(minutes * 60_000);
  const label = minutes >= 1 && Number.isInteger(minutes) ? `${minutes} min` : ms < 60_000 ? `${ms / 1000} s` : `${minutes} min`;
  return { ms, label };
}

/** Skips, transitively, every pending step with a predecessor that failed, was skipped or canceled. */
async function skipBlocked(
  steps: TStep[],
  byKey: Map<string, TStep>,
  setStatus: (s: TStep, st: TStepStatus, d: { error: string }) => Promise<boolean>,
) {
  for (let changed = true; changed;) {
    changed = false;
    for (const s of steps) {
      if (s.status !== "pending") continue;
      const blocker = s.after.find((a) => BLOCKING.includes(byKey.get(a)?.status ?? "success"));
      if (!blocker) continue;
      await setStatus(s, "skipped", { error: `Skipped: ${blocker} did not succeed.` });
      changed = true;
    }
  }
}
