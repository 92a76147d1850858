import { z } from "zod";
import { withApp } from "@/lib/server/http";
import { ZParameterValues } from "@/lib/core/validation";
import { setStageParameters } from "@/lib/server/operations/stage-parameters";

/** body `{ parameters: { Name: value } }`: replaces the service's values in this stage (`{}` removes them). */
export const PUT = withApp(
  "/api/apps/[app]/stages/[stage]/parameters/[service]",
  "settings",
  ({ app, actor, params, body }) =>
    setStageParameters({ app, stage: params.stage, service: params.service, values: body.parameters, actor }),
  { body: z.object({ parameters: ZParameterValues }).strict() },
);
