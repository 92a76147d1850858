import { withApp } from "@/lib/server/http";
import { approveBuild } from "@/lib/server/operations/approve";

/** A deployer other than the one who queued the build lets it run (403 for that one). */
export const POST = withApp("/api/apps/[app]/stages/[stage]/builds/[number]/approve", "approve", async ({ app, actor, params }) => ({
  build: await approveBuild({ app, ...params, actor }),
}));
