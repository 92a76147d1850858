"use server";
import "server-only";

import { z } from "zod";
import { ZParameterValues, ZSlug, ZStagePatch } from "@/lib/core/validation";
import { updateStage } from "@/lib/server/operations/stages";
import { setStageParameters } from "@/lib/server/operations/stage-parameters";
import { appAction } from "./app-action";

// The stage settings page's "Templates" card: how the stage's templates are read (the sandbox's
// account id, the bucket for large templates) and its parameter values per service.
const blankToNull = (v: string) => (v.trim() ? v.trim() : null);

export const updateTemplateSettingsAction = appAction(
  z.object({ app: ZSlug, stage: ZSlug, accountId: z.string().max(20), templateBucket: z.string().max(63) }),
  "settings",
  async ({ app, actor }, { stage, accountId, templateBucket }) => {
    const input = ZStagePatch.parse({ accountId: blankToNull(accountId), templateBucket: blankToNull(templateBucket) });
    return updateStage({ app, stage, input, actor });
  },
);

export const setParametersAction = appAction(
  z.object({ app: ZSlug, stage: ZSlug, service: ZSlug, parameters: ZParameterValues }),
  "settings",
  ({ app, actor }, { stage, service, parameters }) => setStageParameters({ app, stage, service, values: parameters, actor }),
);
