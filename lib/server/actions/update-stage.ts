"use server";
import "server-only";

import { z } from "zod";
import { DRIVERS } from "@/lib/core/domain";
import { updateStage } from "@/lib/server/operations/stages";
import { ZSlug, ZStagePatch } from "@/lib/core/validation";
import { appAction } from "./app-action";

// The stage settings form. Blank region/endpoint mean "not set" (the worker's defaults apply); the
// values themselves are validated with the API's schema.
const blankToNull = (v: string | null) => (v && v.trim() ? v.trim() : null);
const ZInput = z.object({
  app: ZSlug,
  stage: ZSlug,
  driver: z.enum(DRIVERS),
  region: z.string().max(100).nullable().transform(blankToNull),
  endpoint: z.string().max(2000).nullable().transform(blankToNull),
  protected: z.boolean(),
});

export const updateStageAction = appAction(
  ZInput,
  "settings",
  async ({ app, actor }, { stage, driver, region, endpoint, protected: guarded }) => {
    const input = ZStagePatch.parse({ driver, region, endpoint, protected: guarded });
    const { stage: updated } = await updateStage({ app, stage, input, actor });
    return { stage: updated };
  },
);
