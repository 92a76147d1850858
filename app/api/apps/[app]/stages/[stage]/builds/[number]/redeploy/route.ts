import { withApp } from "@/lib/server/http";
import { ZRedeployBody } from "@/lib/core/validation";
import { redeploy } from "@/lib/server/operations/redeploy";

/** The body is optional: `{ force: true }` redeploys into a pinned stage, and unpins it. */
export const POST = withApp(
  "/api/apps/[app]/stages/[stage]/builds/[number]/redeploy",
  "redeploy",
  async ({ app, actor, params, body }) => ({ build: await redeploy({ app, ...params, actor, force: body.force }) }),
  { body: ZRedeployBody, optionalBody: true, status: 201 },
);
