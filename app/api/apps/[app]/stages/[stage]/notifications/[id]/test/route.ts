import { withApp } from "@/lib/server/http";
import { testNotification } from "@/lib/server/operations/notifications";

/** "Send test": 202 `{ delivery }`, sent by the worker like any delivery (its log shows the outcome). */
export const POST = withApp(
  "/api/apps/[app]/stages/[stage]/notifications/[id]/test",
  "notifications",
  ({ app, actor, params }) => testNotification({ app, stage: params.stage, id: params.id, actor }),
  { status: 202 },
);
