"use server";

import { z } from "zod";
import { DRIVERS } from "@/lib/core/domain";
import { updateStage } from "@/lib/server/operations/stages";
import { ZSlug } from "@/lib/core/validation";
import { runAction } from "./action-result";
import { authorizeAction } from "./authorize";

// The stage settings form. Blank region/endpoint mean "not set" (the worker's defaults apply);
// updateStage validates the values themselves with the API's schema.
const ZInput = z.object({
  app: ZSlug,
  stage: ZSlug,
  driver: z.enum(DRIVERS),
  region: z.string().max(100).nullable(),
  endpoint: z.string().max(2000).nullable(),
});
const blankToNull = (v: string | null) => (v && v.trim() ? v.trim() : null);

export async function updateStageAction(input: z.infer<typeof ZInput>) {
  return runAction(async () => {
    const { app, stage, driver, region, endpoint } = ZInput.parse(input);
    const actor = await authorizeAction(app, "settings");
    const { stage: updated } = await updateStage(
      app,
      stage,
      { driver, region: blankToNull(region), endpoint: blankToNull(endpoint) },
      actor.label,
    );
    return { stage: updated };
  });
}
