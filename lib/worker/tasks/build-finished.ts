import "server-only";
import { db } from "@/lib/server/db";
import type { TJobPayload } from "@/lib/server/jobs";

// The build_finished job, enqueued in the transaction that ends a build. What follows a build's end
// hangs off it, so that it never slows the build or the request that ended it.

export async function buildFinished({ buildId }: TJobPayload<"build_finished">): Promise<void> {
  const build = await db.build.findUnique({ where: { id: buildId }, select: { status: true } });
  if (!build) return; // its app was deleted meanwhile
}
