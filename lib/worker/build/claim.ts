import "server-only";
import { db, type Stage } from "@/lib/server/db";
import { planBuild } from "@/lib/core/planner";
import { stepRows } from "@/lib/core/planner/step-rows";
import type { TBuildKind, TRelease } from "@/lib/core/domain";
import { liveRelease, serviceStates } from "@/lib/server/data/service-states";
import { StepLog } from "@/lib/worker/step-log";
import { skipBuild } from "@/lib/server/data/queue-source-build";
import { pinnedReason } from "@/lib/server/data/stage-pin";
import { notifyBuildEvent } from "@/lib/server/notifications/enqueue";
import type { TRunOptions } from "./types";
import { RetryLater } from "./types";

// Claiming a build: one running build per stage (the stage's job queue runs one job at a time, and
// the claim's guard holds even if two workers race). A build found running was its dead worker's:
// the steps that were running have an unknown outcome and fail. A build that starts re-plans first
// if the live state moved since it was queued. A deploy or promote that reaches its turn in a stage
// pinned since it was queued (a rollback ran ahead of it) ends skipped: only a rollback, or a forced
// deploy, moves a pinned stage.

export type TClaimedBuild = NonNullable<Awaited<ReturnType<typeof loadBuild>>>;

const loadBuild = (buildId: number) => db.build.findUnique({ where: { id: buildId }, include: { stage: true } });

/** The claimed build, or null when there is nothing to run (it ended, or was canceled while queued). */
export async function claimBuild(buildId: number, opts: TRunOptions): Promise<TClaimedBuild | null> {
  const build = await loadBuild(buildId);
  if (!build || (build.status !== "queued" && build.status !== "running")) return null;

  if (build.status === "queued" && build.kind !== "rollback" && build.stage.pinnedBuild !== null) {
    const reason = pinnedReason(build.stage.pinnedBuild);
    await db.$transaction((tx) => skipBuild(tx, { id: build.id, stageId: build.stageId }, reason));
    return null;
  }
  const claimed = await db.$transaction(async (tx) => {
    const n = await tx.$executeRaw`
      UPDATE builds SET status = 'running', started_at = COALESCE(started_at, now()), worker_id = ${opts.workerId},
        lease_until = now() + ${opts.leaseMs}::int * interval '1 millisecond'
      WHERE id = ${buildId} AND status = ${build.status}::"BuildStatus"
        AND NOT EXISTS (SELECT 1 FROM builds o WHERE o.stage_id = builds.stage_id AND o.status = 'running' AND o.id <> builds.id)`;
    if (n && build.status === "queued") await notifyBuildEvent(tx, build.id, "build.started");
    return n;
  });
  if (!claimed) {
    const now = await db.build.findUnique({ where: { id: buildId }, select: { status: true } });
    if (now?.status === "canceled") return null;
    throw new RetryLater(`another build of stage ${build.stage.name} is running; build #${build.number} waits`);
  }
  if (build.status === "running") await failLostSteps(buildId, opts.workerId);
  return build;
}

async function failLostSteps(buildId: number, workerId: string): Promise<void> {
  const log = new StepLog(buildId, null);
  const lost = await db.step.updateManyAndReturn({
    where: { buildId, status: "running" },
    data: { status: "failed", finishedAt: new Date(), error: "Worker lost: the worker running this step stopped before it finished." },
    select: { service: true },
  });
  for (const s of lost) log.log(`[sprout] worker lost while ${s.service} was running; marked failed.`);
  log.log(`[sprout] build resumed by worker ${workerId}`);
  await log.flush();
}

/**
 * A build is planned when queued and again when it starts if the live state changed meanwhile.
 * Returns why it can no longer run, or null (its steps now hold the current plan).
 */
export async function replanIfLiveMoved(build: {
  id: number;
  kind: TBuildKind;
  rollbackOf: number | null;
  target: unknown;
  stage: Stage;
}): Promise<string | null> {
  const live = await serviceStates(db, build.stage, await liveRelease(db, build.stage.id));
  const target = await serviceStates(db, build.stage, build.target as TRelease);
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
