import { withApp } from "@/lib/server/http";
import { DEPLOY_BODY_LIMIT, ZDeployBody } from "@/lib/core/validation";
import { deploy } from "@/lib/server/operations/deploy";
import { listBuilds, ZListBuildsQuery } from "@/lib/server/data/list-builds";

const ROUTE = "/api/apps/[app]/stages/[stage]/builds";

export const GET = withApp(ROUTE, "view", ({ app, params, query }) => listBuilds({ app, stage: params.stage, query }), {
  query: ZListBuildsQuery,
});

/** Queue a deploy build from a manifest: 201 with the queued build and its plan. */
export const POST = withApp(
  ROUTE,
  "deploy",
  async ({ app, actor, params, body }) => ({ build: await deploy({ app, stage: params.stage, input: body, actor }) }),
  { body: ZDeployBody, maxBytes: DEPLOY_BODY_LIMIT, status: 201 },
);
