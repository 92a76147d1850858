import { withApp } from "@/lib/server/http";
import { ZVariablePut } from "@/lib/core/validation";
import { deleteVariable, setVariable } from "@/lib/server/operations/stage-variables";

const ROUTE = "/api/apps/[app]/stages/[stage]/variables/[name]";

/** body `{ value, secret? }`: creates or replaces the variable; a secret's value is sealed and never answered. */
export const PUT = withApp(
  ROUTE,
  "variables",
  ({ app, actor, params, body }) => setVariable({ app, stage: params.stage, name: params.name, input: body, actor }),
  { body: ZVariablePut },
);

export const DELETE = withApp(ROUTE, "variables", ({ app, actor, params }) =>
  deleteVariable({ app, stage: params.stage, name: params.name, actor }),
);
