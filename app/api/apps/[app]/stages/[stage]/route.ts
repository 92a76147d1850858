import { withApp } from "@/lib/server/http";
import { ZStagePatch } from "@/lib/core/validation";
import { updateStage } from "@/lib/server/operations/stages";

// Stage settings (driver, region, endpoint). Credentials are never part of them: see docs/cloudformation.md.
export const PATCH = withApp(
  "/api/apps/[app]/stages/[stage]",
  "settings",
  ({ app, actor, params, body }) => updateStage({ app, stage: params.stage, input: body, actor }),
  { body: ZStagePatch },
);
