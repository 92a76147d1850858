import "server-only";
import { db, type Prisma } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { PG_INT_MAX } from "@/lib/core/query-params";
import { getStageOf } from "@/lib/server/data/lookup";
import type { TDeliveryJson, TNotificationJson } from "@/lib/core/contracts";
import type { TAppRef } from "@/lib/server/context";

// A stage's notification targets as the settings page and the API show them (never a URL's
// token or a webhook's secret), and each target's delivery log, newest first.

export const notificationSelect = {
  id: true,
  kind: true,
  label: true,
  events: true,
  createdBy: true,
  createdAt: true,
  deliveries: { orderBy: { id: "desc" }, take: 1, select: { status: true, event: true, updatedAt: true } },
} satisfies Prisma.NotificationTargetSelect;

export function notificationJson(t: Prisma.NotificationTargetGetPayload<{ select: typeof notificationSelect }>): TNotificationJson {
  const last = t.deliveries[0];
  return {
    id: t.id,
    kind: t.kind,
    label: t.label,
    events: t.events,
    createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(),
    lastDelivery: last ? { status: last.status, event: last.event, at: last.updatedAt.toISOString() } : null,
  };
}

export async function listNotifications({ app, stage }: { app: TAppRef; stage: string }): Promise<{ notifications: TNotificationJson[] }> {
  const st = await getStageOf(app, stage);
  const rows = await db.notificationTarget.findMany({ where: { stageId: st.id }, orderBy: { id: "asc" }, select: notificationSelect });
  return { notifications: rows.map(notificationJson) };
}

const DELIVERY_PAGE = 50;

/** GET …/notifications/{id}/deliveries: the newest 50. */
export async function listDeliveries({
  app,
  stage,
  id: idRaw,
}: {
  app: TAppRef;
  stage: string;
  id: string;
}): Promise<{ deliveries: TDeliveryJson[] }> {
  const st = await getStageOf(app, stage);
  const id = /^[1-9][0-9]{0,9}$/.test(idRaw) && Number(idRaw) <= PG_INT_MAX ? Number(idRaw) : null;
  const target = id === null ? null : await db.notificationTarget.findFirst({ where: { id, stageId: st.id }, select: { id: true } });
  if (!target) throw new AppError("not_found", `Notification ${idRaw} not found in ${app.name}/${stage}.`);
  const rows = await db.notificationDelivery.findMany({ where: { targetId: target.id }, orderBy: { id: "desc" }, take: DELIVERY_PAGE });
  return { deliveries: rows.map(deliveryJson) };
}

export function deliveryJson(d: Prisma.NotificationDeliveryGetPayload<object>): TDeliveryJson {
  return {
    id: d.id,
    event: d.event as TDeliveryJson["event"],
    status: d.status,
    attempts: d.attempts,
    lastError: d.lastError,
    responseCode: d.responseCode,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}
