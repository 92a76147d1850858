import { withApp } from "@/lib/server/http";
import { ZStagePatch } from "@/lib/core/validation";
import { getStage } from "@/lib/server/data/get-stage";
import { updateStage } from "@/lib/server/operations/stages";

export const GET = withApp("/api/apps/[app]/stages/[stage]", "view", ({ app, params }) => getStage({ app, stage: params.stage }));

// Stage settings (driver, region, endpoint, protected). Credentials are never part of them: see docs/cloudformation.md.
export const PATCH = withApp(
  "/api/apps/[app]/stages/[stage]",
  "settings",
  ({ app, actor, params, body }) => updateStage({ app, stage: params.stage, input: body, actor }),
  { body: ZStagePatch },
);
