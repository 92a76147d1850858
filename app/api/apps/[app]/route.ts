import { withApp } from "@/lib/server/http";
import { ZAppPatch } from "@/lib/core/validation";
import { getApp } from "@/lib/server/data/get-app";
import { updateAppSettings } from "@/lib/server/operations/app-settings";

export const GET = withApp("/api/apps/[app]", "view", ({ app }) => getApp({ app }));

/** body `{ prStages: { enabled?, templateStage?, limit? } }`: the app's pull-request stages. */
export const PATCH = withApp("/api/apps/[app]", "appSettings", ({ app, actor, body }) => updateAppSettings({ app, input: body, actor }), {
  body: ZAppPatch,
});
