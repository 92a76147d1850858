"use server";
import "server-only";

import { z } from "zod";
import { DRIVERS } from "@/lib/core/domain";
import { updateStage } from "@/lib/server/operations/stages";
import { ZSlug, ZStagePatch } from "@/lib/core/validation";
import { appAction } from "./app-action";

// The stage settings form. Blank region/endpoint/pattern mean "not set" (the defaults apply); the
// services to adopt come as one text, separated by commas or spaces; the values themselves are
// validated with the API's schema. An unchanged endpoint is no change (only an instance admin may change it).
const blankToNull = (v: string | null) => (v && v.trim() ? v.trim() : null);
const ZInput = z.object({
  app: ZSlug,
  stage: ZSlug,
  driver: z.enum(DRIVERS),
  region: z.string().max(100).nullable().transform(blankToNull),
  endpoint: z.string().max(2000).nullable().transform(blankToNull),
  stackNamePattern: z.string().max(200).nullable().transform(blankToNull),
  adoptStacks: z
    .string()
    .max(20_000)
    .transform((v) => v.split(/[\s,]+/).filter(Boolean)),
  protected: z.boolean(),
});

export const updateStageAction = appAction(
  ZInput,
  "settings",
  async ({ app, actor }, { stage, driver, region, endpoint, stackNamePattern, adoptStacks, protected: guarded }) => {
    const input = ZStagePatch.parse({ driver, region, endpoint, stackNamePattern, adoptStacks, protected: guarded });
    const { stage: updated } = await updateStage({ app, stage, input, actor });
    return { stage: updated };
  },
);
