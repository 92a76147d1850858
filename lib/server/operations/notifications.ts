import "server-only";
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { PG_INT_MAX } from "@/lib/core/query-params";
import { targetLabel } from "@/lib/core/notifications/target-url";
import type { ZNotificationCreate } from "@/lib/core/validation";
import { seal } from "@/lib/server/crypto/secret-box";
import { recordAudit } from "@/lib/server/data/audit";
import { getStageOf } from "@/lib/server/data/lookup";
import { deliveryJson, notificationJson, notificationSelect } from "@/lib/server/data/notifications";
import { notifyTest } from "@/lib/server/notifications/enqueue";
import { validateTargetUrl } from "@/lib/server/notifications/target-check";
import type { TDeliveryJson, TNotificationJson } from "@/lib/core/contracts";
import type { TActor, TAppRef } from "@/lib/server/context";

// A stage's notification targets (app admins). A URL is checked before it is stored (where it may
// point: lib/core/notifications/target-url.ts) and sealed, since Slack's and most services' URLs
// carry a token; a webhook gets a signing secret, answered once by create and stored sealed.

export interface TStageRef {
  app: TAppRef;
  stage: string;
}

/** POST …/notifications: 201 `{ notification, secret }`; `secret` (webhooks only) signs every delivery and is shown this once. */
export async function createNotification({
  app,
  stage,
  input,
  actor,
}: TStageRef & { input: z.output<typeof ZNotificationCreate>; actor: TActor }): Promise<{
  notification: TNotificationJson;
  secret: string | null;
}> {
  const st = await getStageOf(app, stage);
  let url: URL | null = null;
  if (input.kind !== "email") url = await validateTargetUrl(input.url);
  if (input.kind === "email" && !process.env.SPROUT_SMTP_URL)
    throw new AppError(
      "bad_request",
      "kind: email needs a mail server: set SPROUT_SMTP_URL (smtp://user:password@host:port) on Sprout's processes first.",
    );
  const secret = input.kind === "webhook" ? randomBytes(32).toString("base64url") : null;
  const row = await db.$transaction(async (tx) => {
    const row = await tx.notificationTarget.create({
      data: {
        stageId: st.id,
        kind: input.kind,
        url: url ? seal(url.toString()) : null,
        address: input.kind === "email" ? input.address : null,
        label: url ? targetLabel(url) : input.kind === "email" ? input.address : "",
        secret: secret ? seal(secret) : null,
        events: input.events,
        createdBy: actor.label,
      },
      select: notificationSelect,
    });
    await recordAudit(tx, {
      appId: app.id,
      actor: actor.label,
      action: "notification.create",
      target: `${st.name} ${input.kind} ${row.label}`,
      detail: { id: row.id, events: input.events },
    });
    return row;
  });
  return { notification: notificationJson(row), secret };
}

async function targetOf({ app, stage }: TStageRef, idRaw: string) {
  const st = await getStageOf(app, stage);
  const id = /^[1-9][0-9]{0,9}$/.test(idRaw) && Number(idRaw) <= PG_INT_MAX ? Number(idRaw) : null;
  const row = id === null ? null : await db.notificationTarget.findFirst({ where: { id, stageId: st.id }, select: notificationSelect });
  if (!row) throw new AppError("not_found", `Notification ${idRaw} not found in ${app.name}/${stage}.`);
  return { st, row };
}

/** DELETE …/notifications/{id}: the target and its delivery log go; waiting deliveries are not sent. */
export async function deleteNotification(o: TStageRef & { id: string; actor: TActor }): Promise<{ deleted: number }> {
  const { st, row } = await targetOf(o, o.id);
  await db.$transaction(async (tx) => {
    const { count } = await tx.notificationTarget.deleteMany({ where: { id: row.id } });
    if (count)
      await recordAudit(tx, {
        appId: o.app.id,
        actor: o.actor.label,
        action: "notification.delete",
        target: `${st.name} ${row.kind} ${row.label}`,
      });
  });
  return { deleted: row.id };
}

/** POST …/notifications/{id}/test: one test delivery, sent like any other (202). */
export async function testNotification(o: TStageRef & { id: string; actor: TActor }): Promise<{ delivery: TDeliveryJson }> {
  const { st, row } = await targetOf(o, o.id);
  const delivery = await db.$transaction(async (tx) => {
    const id = await notifyTest(tx, { stageId: st.id, targetId: row.id, app: o.app.name, stage: st.name });
    await recordAudit(tx, {
      appId: o.app.id,
      actor: o.actor.label,
      action: "notification.test",
      target: `${st.name} ${row.kind} ${row.label}`,
    });
    return tx.notificationDelivery.findUniqueOrThrow({ where: { id } });
  });
  return { delivery: deliveryJson(delivery) };
}
