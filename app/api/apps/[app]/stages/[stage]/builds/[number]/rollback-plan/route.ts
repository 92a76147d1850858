import { withApp } from "@/lib/server/http";
import { ZRollbackPlanQuery } from "@/lib/core/validation";
import { rollbackPlan } from "@/lib/server/operations/rollback";

/** `?services=a,b`: the plan of a partial rollback. */
export const GET = withApp(
  "/api/apps/[app]/stages/[stage]/builds/[number]/rollback-plan",
  "view",
  async ({ app, params, query }) => ({ plan: await rollbackPlan({ app, ...params, services: query.services }) }),
  { query: ZRollbackPlanQuery },
);
