import "server-only";
import type { db, Prisma } from "@/lib/server/db";
import { enqueue, hasJob, runBuildJob, runBuildJobKey } from "@/lib/server/jobs";

// The stage's queue and approvals (docs/architecture.md, "Release flow"). A deploy or promote
// awaiting approval holds the stage's queue, as a release manager expects: the builds queued after
// it wait behind it (queued, with no job yet) so that nothing overtakes the change under review.
// Rollbacks are exempt: their job is enqueued at once, the emergency exit never waits for a review.
// When the awaiting build is approved, rejected or canceled, the queue moves on in number order.

type TTx = Prisma.TransactionClient;

/** The earliest build of the stage awaiting approval that a new non-rollback build would wait behind. */
export async function awaitingBefore(tx: TTx | typeof db, stageId: number, number?: number): Promise<number | null> {
  const row = await tx.build.findFirst({
    where: { stageId, status: "awaiting_approval", ...(number ? { number: { lt: number } } : {}) },
    orderBy: { number: "asc" },
    select: { number: true },
  });
  return row?.number ?? null;
}

/**
 * Gives the stage's waiting builds their job, in number order, up to the first that awaits approval.
 * Call it in the transaction that approves, rejects or ends a build awaiting approval, after taking
 * the stage row's lock (lockStage).
 */
export async function releaseQueue(tx: TTx, stageId: number): Promise<number[]> {
  const waiting = await tx.build.findMany({
    where: { stageId, status: { in: ["queued", "awaiting_approval"] } },
    orderBy: { number: "asc" },
    select: { id: true, number: true, status: true },
  });
  const released: number[] = [];
  for (const b of waiting) {
    if (b.status === "awaiting_approval") break;
    if (await hasJob(tx, runBuildJobKey(b.id))) continue;
    await enqueue(tx, runBuildJob({ id: b.id, stageId }));
    released.push(b.number);
  }
  return released;
}

export interface TLockedStage {
  pinned_build: number | null;
  require_approval: boolean;
}

/** The stage row's lock for the rest of the transaction: builds are numbered, held and released one at a time. */
export async function lockStage(tx: TTx, stageId: number): Promise<TLockedStage> {
  const [row] = await tx.$queryRaw<TLockedStage[]>`SELECT pinned_build, require_approval FROM stages WHERE id = ${stageId} FOR UPDATE`;
  return row!;
}
