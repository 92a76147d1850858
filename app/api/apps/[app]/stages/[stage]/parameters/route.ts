import { withApp } from "@/lib/server/http";
import { getStageParameters } from "@/lib/server/operations/stage-parameters";

/** `{ parameters: { service: { Name: value } } }`: the stage's CloudFormation parameter values per service. */
export const GET = withApp("/api/apps/[app]/stages/[stage]/parameters", "view", ({ app, params }) =>
  getStageParameters({ app, stage: params.stage }),
);
