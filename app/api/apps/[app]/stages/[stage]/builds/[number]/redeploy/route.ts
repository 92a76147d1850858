import { withApp } from "@/lib/server/http";
import { redeploy } from "@/lib/server/operations/redeploy";

export const POST = withApp(
  "/api/apps/[app]/stages/[stage]/builds/[number]/redeploy",
  "redeploy",
  async ({ app, actor, params }) => ({ build: await redeploy({ app, ...params, actor }) }),
  { status: 201 },
);
