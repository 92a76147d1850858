import "server-only";
import { db } from "@/lib/server/db";
import type { TJobPayload } from "@/lib/server/jobs";
import { openMirror } from "@/lib/server/source/mirror";

// The build_finished job, enqueued in the transaction that ends a build: what may follow a build's
// end without slowing it, nor the request that ended it. What must hold the moment a build ends
// (its notifications' deliveries, the pin after a rollback) is written in that transaction itself
// (lib/server/operations/end-build.ts). Here: the app's git mirror is pruned when due (hourly).

export async function buildFinished({ buildId }: TJobPayload<"build_finished">): Promise<void> {
  const build = await db.build.findUnique({
    where: { id: buildId },
    select: { stage: { select: { app: { select: { id: true, name: true, repositoryUrl: true } } } } },
  });
  const app = build?.stage.app; // null: the app was deleted meanwhile
  if (!app?.repositoryUrl) return;
  const pruned = await openMirror({ app: app.id, url: app.repositoryUrl }).pruneIfDue();
  if (pruned?.error) console.error(`[sprout] pruning the git mirror of ${app.name} failed (tried again in an hour): ${pruned.error}`);
}
