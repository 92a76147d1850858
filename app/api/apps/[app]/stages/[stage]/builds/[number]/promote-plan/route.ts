import { withApp } from "@/lib/server/http";
import { ZPromotePlanQuery } from "@/lib/core/validation";
import { promotePlan } from "@/lib/server/operations/promote";

/** `?to=prod` (default: the next stage): per service the step and the resources it changes. */
export const GET = withApp(
  "/api/apps/[app]/stages/[stage]/builds/[number]/promote-plan",
  "view",
  async ({ app, params, query }) => ({ plan: await promotePlan({ app, ...params, to: query.to }) }),
  { query: ZPromotePlanQuery },
);
