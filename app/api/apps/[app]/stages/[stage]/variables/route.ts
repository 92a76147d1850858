import { withApp } from "@/lib/server/http";
import { listVariables } from "@/lib/server/data/stage-variables";

/** The stage's variables: names, whether secret, a plain variable's value (a secret's never). */
export const GET = withApp("/api/apps/[app]/stages/[stage]/variables", "view", ({ app, params }) =>
  listVariables({ app, stage: params.stage }),
);
