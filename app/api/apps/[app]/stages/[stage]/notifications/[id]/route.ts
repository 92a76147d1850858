import { withApp } from "@/lib/server/http";
import { deleteNotification } from "@/lib/server/operations/notifications";

export const DELETE = withApp("/api/apps/[app]/stages/[stage]/notifications/[id]", "notifications", ({ app, actor, params }) =>
  deleteNotification({ app, stage: params.stage, id: params.id, actor }),
);
