import { withApp } from "@/lib/server/http";
import { ZSourceDeploy } from "@/lib/core/validation";
import { deploySource } from "@/lib/server/operations/deploy-source";

/** body `{ ref?, services?, force? }`: 201 `{ build }`, a source build of the app's repository. */
export const POST = withApp(
  "/api/apps/[app]/stages/[stage]/deploy",
  "deploy",
  async ({ app, actor, params, body }) => ({ build: await deploySource({ app, stage: params.stage, input: body, actor }) }),
  { body: ZSourceDeploy, status: 201 },
);
