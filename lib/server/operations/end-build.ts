import "server-only";
import type { Prisma } from "@/lib/server/db";
import { liveRelease } from "@/lib/server/data/service-states";
import { enqueue } from "@/lib/server/jobs";

// A build's end, wherever it happens (the worker finishing it, a cancel of a queued build): its
// status, error and release (the stage's live state now) are written and `build_finished` is
// enqueued in the same transaction, guarded by the status the caller saw, so that a build ends once.

export interface TEndBuildOptions {
  buildId: number;
  stageId: number;
  status: "success" | "failed" | "canceled" | "skipped" | "rejected";
  error: string | null;
  /** the statuses the build may end from, and, for the worker, the lease it must still hold */
  from: "queued" | "running";
  workerId?: string;
  extra?: Prisma.BuildUpdateManyMutationInput;
}

/** false when the build was no longer in `from` (another worker, or a cancel, ended it first). */
export async function endBuild(tx: Prisma.TransactionClient, o: TEndBuildOptions): Promise<boolean> {
  const release = await liveRelease(tx, o.stageId);
  const { count } = await tx.build.updateMany({
    where: { id: o.buildId, status: o.from, ...(o.workerId ? { workerId: o.workerId } : {}) },
    data: { status: o.status, error: o.error, release, finishedAt: new Date(), leaseUntil: null, ...o.extra },
  });
  if (count) await enqueue(tx, { name: "build_finished", payload: { buildId: o.buildId }, key: `build-finished-${o.buildId}` });
  return count > 0;
}
