import { withApp } from "@/lib/server/http";
import { ZNotificationCreate } from "@/lib/core/validation";
import { listNotifications } from "@/lib/server/data/notifications";
import { createNotification } from "@/lib/server/operations/notifications";

const ROUTE = "/api/apps/[app]/stages/[stage]/notifications";

export const GET = withApp(ROUTE, "notifications", ({ app, params }) => listNotifications({ app, stage: params.stage }));

/** body `{ kind: webhook|slack, url, events? }` or `{ kind: email, address, events? }`: 201 `{ notification, secret }` (a webhook's secret, shown once). */
export const POST = withApp(
  ROUTE,
  "notifications",
  ({ app, actor, params, body }) => createNotification({ app, stage: params.stage, input: body, actor }),
  {
    body: ZNotificationCreate,
    status: 201,
  },
);
