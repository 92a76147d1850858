"use server";
import "server-only";

import { z } from "zod";
import { refreshStage } from "@/lib/server/operations/refresh-stage";
import { ZSlug } from "@/lib/core/validation";
import { appAction } from "./app-action";

/** "Refresh from account": the drift found, after the live state was made to match the account. */
export const refreshStageAction = appAction(z.object({ app: ZSlug, stage: ZSlug }), "refresh", ({ app, actor }, { stage }) =>
  refreshStage({ app, stage, actor }),
);
