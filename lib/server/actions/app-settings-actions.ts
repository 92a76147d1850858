"use server";
import "server-only";

import { z } from "zod";
import { ZAppPatch, ZSlug } from "@/lib/core/validation";
import { updateAppSettings } from "@/lib/server/operations/app-settings";
import { appAction } from "./app-action";

// The app settings page's PR stages card (app admins): the same operation as PATCH /api/apps/{app}.
export const updateAppSettingsAction = appAction(
  z.object({ app: ZSlug }).extend(ZAppPatch.shape),
  "appSettings",
  ({ app, actor }, { prStages }) => updateAppSettings({ app, input: { prStages }, actor }),
);
