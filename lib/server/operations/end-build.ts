import "server-only";
import type { Prisma } from "@/lib/server/db";
import { endEvent } from "@/lib/core/notifications/events";
import { liveRelease } from "@/lib/server/data/service-states";
import { lockStage, releaseQueue } from "@/lib/server/data/stage-queue";
import { notifyBuildEvent } from "@/lib/server/notifications/enqueue";
import { enqueue } from "@/lib/server/jobs";
import { pinAfterRollback } from "./pin";

// A build's end, wherever it happens (the worker finishing it, a cancel of a queued build, a
// rejection): its status, error and release (the stage's live state now) are written and
// `build_finished` is enqueued in the same transaction, guarded by the status the caller saw, so
// that a build ends once. The same transaction notifies the stage's targets, pins the stage after
// a successful rollback, and lets the stage's queue move on when a build awaiting approval ends.

export interface TEndBuildOptions {
  buildId: number;
  stageId: number;
  status: "success" | "failed" | "canceled" | "skipped" | "rejected";
  error: string | null;
  /** the statuses the build may end from, and, for the worker, the lease it must still hold */
  from: "queued" | "running" | "awaiting_approval";
  workerId?: string;
  extra?: Prisma.BuildUpdateManyMutationInput;
}

/** false when the build was no longer in `from` (another worker, or a cancel, ended it first). */
export async function endBuild(tx: Prisma.TransactionClient, o: TEndBuildOptions): Promise<boolean> {
  // builds waiting behind one awaiting approval are released under the stage row's lock
  if (o.from === "awaiting_approval") await lockStage(tx, o.stageId);
  const release = await liveRelease(tx, o.stageId);
  const { count } = await tx.build.updateMany({
    where: { id: o.buildId, status: o.from, ...(o.workerId ? { workerId: o.workerId } : {}) },
    data: { status: o.status, error: o.error, release, finishedAt: new Date(), leaseUntil: null, ...o.extra },
  });
  if (!count) return false;
  await enqueue(tx, { name: "build_finished", payload: { buildId: o.buildId }, key: `build-finished-${o.buildId}` });
  const event = endEvent(o.status);
  if (event) await notifyBuildEvent(tx, o.buildId, event);
  if (o.status === "success") {
    const b = await tx.build.findUniqueOrThrow({
      where: { id: o.buildId },
      select: { id: true, stageId: true, number: true, kind: true, rollbackOf: true, triggeredBy: true, reason: true },
    });
    if (b.kind === "rollback") await pinAfterRollback(tx, b);
  }
  if (o.from === "awaiting_approval") await releaseQueue(tx, o.stageId);
  return true;
}
