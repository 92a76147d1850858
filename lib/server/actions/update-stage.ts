"use server";
import "server-only";

import { z } from "zod";
import { DRIVERS } from "@/lib/core/domain";
import { updateStage } from "@/lib/server/operations/stages";
import { ZSlug, ZStagePatch } from "@/lib/core/validation";
import { appAction } from "./app-action";

// The stage settings page: each card sends its own fields (a field left out is not changed). Blank
// region/endpoint/pattern/branch mean "not set" (the defaults apply); the services to adopt come as
// one text, separated by commas or spaces; the values themselves are validated with the API's
// schema. An unchanged endpoint is no change (only an instance admin may change it).
const blankToNull = (v: string | null) => (v && v.trim() ? v.trim() : null);
const ZInput = z.object({
  app: ZSlug,
  stage: ZSlug,
  driver: z.enum(DRIVERS).optional(),
  region: z.string().max(100).nullable().transform(blankToNull).optional(),
  endpoint: z.string().max(2000).nullable().transform(blankToNull).optional(),
  stackNamePattern: z.string().max(200).nullable().transform(blankToNull).optional(),
  adoptStacks: z
    .string()
    .max(20_000)
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .optional(),
  protected: z.boolean().optional(),
  branch: z.string().max(300).nullable().transform(blankToNull).optional(),
  autoDeploy: z.boolean().optional(),
  packageTimeoutMinutes: z.number({ error: "must be a number of minutes" }).optional(),
  stepTimeoutMinutes: z.number({ error: "must be a number of minutes" }).optional(),
});

export const updateStageAction = appAction(ZInput, "settings", async ({ app, actor }, { app: _, stage, ...fields }) => {
  const input = ZStagePatch.parse(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
  const { stage: updated } = await updateStage({ app, stage, input, actor });
  return { stage: updated };
});
