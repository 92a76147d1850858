import { withApp } from "@/lib/server/http";
import { rejectBuild } from "@/lib/server/operations/approve";

/** Ends a build awaiting approval as rejected; the stage's queue moves on. */
export const POST = withApp("/api/apps/[app]/stages/[stage]/builds/[number]/reject", "approve", async ({ app, actor, params }) => ({
  build: await rejectBuild({ app, ...params, actor }),
}));
