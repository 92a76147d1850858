import { withApp } from "@/lib/server/http";
import { cancelBuild } from "@/lib/server/operations/cancel-build";

export const POST = withApp("/api/apps/[app]/stages/[stage]/builds/[number]/cancel", "cancel", async ({ app, actor, params }) => ({
  build: await cancelBuild({ app, ...params, actor }),
}));
