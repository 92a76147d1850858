import "server-only";
import { db } from "@/lib/server/db";
import { endBuild } from "@/lib/server/operations/end-build";
import { withDbRetry } from "@/lib/server/db-retry";
import { stageMasker } from "@/lib/server/data/stage-variables";
import { archiveStage } from "@/lib/server/operations/pr-stages";
import { StepLog } from "@/lib/worker/step-log";
import type { TClaimedBuild } from "./claim";
import type { TStepsOutcome } from "./steps";
import { RetryLater, type TRunOptions } from "./types";

// A build's end once its steps stopped: handed back on a graceful shutdown, else ended with the
// status its steps earned. A cancel that came after the last step changes nothing: the build did
// everything it was asked to. Its writes wait out a database outage (withDbRetry).

export async function finishBuild(build: TClaimedBuild, outcome: TStepsOutcome, opts: TRunOptions): Promise<void> {
  const pending = outcome.steps.filter((s) => s.status === "pending");
  if (pending.length && opts.shutdown.aborted && !outcome.canceled) {
    // nothing is running. Expire the lease now: any live worker's reaper then makes the job
    // runnable and the build resumes there, whatever graphile-worker records as we exit.
    await withDbRetry("handing a build back", () =>
      db.build.updateMany({ where: { id: build.id, workerId: opts.workerId }, data: { leaseUntil: new Date() } }),
    );
    await say(build.id, `[sprout] worker ${opts.workerId} shut down; the build will resume on another worker.`);
    throw new RetryLater("worker shut down; build handed back");
  }
  const failed = outcome.steps.filter((s) => s.status === "failed");
  const stopped = pending.length > 0 || outcome.steps.some((s) => s.status === "canceled");
  const status = failed.length ? "failed" : stopped ? "canceled" : "success";
  const error = failed.length ? `${failed.map((s) => s.key).join(", ")} failed: ${failed[0]!.error}` : null;
  await withDbRetry("recording a build's end", () =>
    db.$transaction(async (tx) => {
      await tx.step.updateMany({ where: { buildId: build.id, status: "pending" }, data: { status: "canceled" } });
      const ended = await endBuild(tx, {
        buildId: build.id,
        stageId: build.stageId,
        status,
        error,
        from: "running",
        workerId: opts.workerId,
      });
      if (ended && build.kind === "remove" && status === "success") await archiveStage(tx, build.stage, build.triggeredBy);
    }),
  );
}

/** Ends a build that cannot run at all (its plan no longer holds), with the reason. */
export async function failBuild(build: TClaimedBuild, given: string, opts: TRunOptions): Promise<void> {
  const reason = (await withDbRetry("reading the stage's variables", () => stageMasker(build.stage.id)))(given);
  await withDbRetry("recording a build's end", () =>
    db.$transaction(async (tx) => {
      await tx.step.updateMany({ where: { buildId: build.id, status: "pending" }, data: { status: "canceled" } });
      await endBuild(tx, {
        buildId: build.id,
        stageId: build.stageId,
        status: "failed",
        error: reason,
        from: "running",
        workerId: opts.workerId,
      });
    }),
  );
  await say(build.id, `[sprout] ${reason}`);
}

async function say(buildId: number, line: string) {
  const log = new StepLog(buildId, null);
  log.log(line);
  await log.flush();
}
