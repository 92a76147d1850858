"use server";

import { z } from "zod";
import { refreshStage } from "@/lib/server/operations/refresh-stage";
import { ZSlug } from "@/lib/core/validation";
import { runAction } from "./action-result";
import { authorizeAction } from "./authorize";

const ZInput = z.object({ app: ZSlug, stage: ZSlug });

/** "Refresh from account": the drift found, after the live state was made to match the account. */
export async function refreshStageAction(input: z.infer<typeof ZInput>) {
  return runAction(async () => {
    const { app, stage } = ZInput.parse(input);
    const actor = await authorizeAction(app, "refresh");
    return refreshStage(app, stage, actor.label);
  });
}
