import "server-only";
import { db, type Stage } from "@/lib/server/db";
import { planBuild } from "@/lib/core/planner";
import { stepRows } from "@/lib/core/planner/step-rows";
import type { TBuildKind, TRelease } from "@/lib/core/domain";
import { liveRelease, serviceStates } from "@/lib/server/data/service-states";
import { enqueue, runBuildJob } from "@/lib/server/jobs";
import { driverFor } from "@/lib/server/drivers";
import { StepLog } from "@/lib/worker/step-log";
import { skipBuild } from "@/lib/server/data/queue-source-build";
import { pinnedReason } from "@/lib/server/data/stage-pin";
import { notifyBuildEvent } from "@/lib/server/notifications/enqueue";
import { appCap } from "./fairness";
import type { TRunOptions } from "./types";
import { RetryLater } from "./types";

// Claiming a build: one running build per stage (the stage's job queue runs one job at a time, and
// the claim's guard holds even if two workers race), and no more of one app's builds at once than
// its cap (lib/worker/build/fairness.ts): a build over it waits, its job put back. A build found
// running was its dead worker's: a step that was running runs again where its driver says that is
// safe, else it fails as "worker lost". A build that starts re-plans first if the live state moved
// since it was queued. A deploy or promote that reaches its turn in a stage pinned since it was
// queued (a rollback ran ahead of it) ends skipped: only a rollback, or a forced deploy, moves a
// pinned stage.

export type TClaimedBuild = NonNullable<Awaited<ReturnType<typeof loadBuild>>>;

const loadBuild = (buildId: number) =>
  db.build.findUnique({ where: { id: buildId }, include: { stage: { include: { _count: { select: { notifications: true } } } } } });

/** how long a build over its app's cap waits before a worker looks again (one ending sooner wakes it) */
const CAP_RETRY_MS = 250;

/**
 * The claimed build, or null when there is nothing to run now: it ended, was canceled while
 * queued, or its app is at its cap (its job was put back).
 */
export async function claimBuild(buildId: number, opts: TRunOptions): Promise<TClaimedBuild | null> {
  const build = await loadBuild(buildId);
  if (!build || (build.status !== "queued" && build.status !== "running")) return null;

  if (build.status === "queued" && build.kind !== "rollback" && build.kind !== "remove" && build.stage.pinnedBuild !== null) {
    const reason = pinnedReason(build.stage.pinnedBuild);
    await db.$transaction((tx) => skipBuild(tx, { id: build.id, stageId: build.stageId }, reason));
    return null;
  }
  // the cap applies to a build that starts; one found running already counts in its app's builds
  const cap = build.status === "queued" ? await appCap() : 0;
  const claim = (tx: Pick<typeof db, "$queryRaw">) =>
    tx.$queryRaw<{ result: string }[]>`
      SELECT sprout_claim_build(${buildId}, ${build.status}::"BuildStatus", ${opts.workerId}, ${opts.leaseMs}::int, ${cap}::int) AS result`.then(
      ([row]) => row!.result,
    );
  // build.started is enqueued in the claim's transaction: a build never starts without it. The
  // claim may wait for its app's lock and a connection as a lone query would, not Prisma's 2 s/5 s.
  // A stage with no notification target claims in one statement: the app's lock is held no longer.
  const notifies = build.status === "queued" && build.stage._count.notifications > 0;
  const result = notifies
    ? await db.$transaction(
        async (tx) => {
          const result = await claim(tx);
          if (result === "claimed") await notifyBuildEvent(tx, build.id, "build.started");
          return result;
        },
        { maxWait: 30_000, timeout: 30_000 },
      )
    : await claim(db);
  if (result === "full") {
    await enqueue(db, { ...runBuildJob(build), runAt: new Date(Date.now() + CAP_RETRY_MS) });
    return null;
  }
  if (result !== "claimed") {
    const now = await db.build.findUnique({ where: { id: buildId }, select: { status: true } });
    if (now?.status === "canceled") return null;
    throw new RetryLater(`another build of stage ${build.stage.name} is running; build #${build.number} waits`);
  }
  if (build.status === "running") await takeOverLostSteps(build, opts.workerId);
  return build;
}

/** what a source build does runs in its worker's own workspace, which went with it */
const WORKSPACE_ACTIONS = ["checkout", "package"] as const;

async function takeOverLostSteps(build: TClaimedBuild, workerId: string): Promise<void> {
  const log = new StepLog(build.id, null);
  const rerun = await driverFor(build.stage.driver).then(
    (d) => d.rerunsSafely === true,
    () => false,
  );
  const again = rerun
    ? await db.step.updateManyAndReturn({
        where: { buildId: build.id, status: "running", action: { notIn: [...WORKSPACE_ACTIONS] } },
        data: { status: "pending", startedAt: null, error: null },
        select: { key: true },
      })
    : [];
  const lost = await db.step.updateManyAndReturn({
    where: { buildId: build.id, status: "running" },
    data: { status: "failed", finishedAt: new Date(), error: "Worker lost: the worker running this step stopped before it finished." },
    select: { key: true },
  });
  for (const s of again) log.log(`[sprout] worker lost while ${s.key} was running; the ${build.stage.driver} driver runs it again safely.`);
  for (const s of lost) log.log(`[sprout] worker lost while ${s.key} was running; marked failed.`);
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
  // read side by side: a build's pickup waits for these
  const [live, target, current] = await Promise.all([
    liveRelease(db, build.stage.id).then((release) => serviceStates(db, build.stage, release)),
    serviceStates(db, build.stage, build.target as TRelease),
    db.step.findMany({ where: { buildId: build.id }, orderBy: { position: "asc" } }),
  ]);
  const result = planBuild({ kind: build.kind, live, target, targetLabel: build.rollbackOf ? `#${build.rollbackOf}` : undefined });
  if (!result.ok) return `The live state changed since this build was queued and it can no longer run: ${result.error.message}`;
  const rows = stepRows(result.plan);
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
