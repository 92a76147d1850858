import { withApp } from "@/lib/server/http";
import { rollbackPlan } from "@/lib/server/operations/rollback";

export const GET = withApp("/api/apps/[app]/stages/[stage]/builds/[number]/rollback-plan", "view", async ({ app, params }) => ({
  plan: await rollbackPlan({ app, ...params }),
}));
