import { withApp } from "@/lib/server/http";
import { listDeliveries } from "@/lib/server/data/notifications";

/** The target's delivery log, newest first: status, attempts, last error, response code. */
export const GET = withApp("/api/apps/[app]/stages/[stage]/notifications/[id]/deliveries", "notifications", ({ app, params }) =>
  listDeliveries({ app, stage: params.stage, id: params.id }),
);
