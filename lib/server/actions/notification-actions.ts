"use server";
import "server-only";

import { z } from "zod";
import { ZNotificationCreate, ZSlug } from "@/lib/core/validation";
import { createNotification, deleteNotification, testNotification } from "@/lib/server/operations/notifications";
import { appAction } from "./app-action";

// The stage settings page's notification targets (app admins): add (a webhook's secret answered
// once), remove, send a test.
const ZStageRef = z.object({ app: ZSlug, stage: ZSlug });

export const createNotificationAction = appAction(
  ZStageRef.extend({ target: ZNotificationCreate }),
  "notifications",
  async ({ app, actor }, { stage, target }) => createNotification({ app, stage, input: target, actor }),
);

export const deleteNotificationAction = appAction(
  ZStageRef.extend({ id: z.number().int().positive() }),
  "notifications",
  async ({ app, actor }, { stage, id }) => deleteNotification({ app, stage, id: String(id), actor }),
);

export const testNotificationAction = appAction(
  ZStageRef.extend({ id: z.number().int().positive() }),
  "notifications",
  async ({ app, actor }, { stage, id }) => testNotification({ app, stage, id: String(id), actor }),
);
