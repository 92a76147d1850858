import "server-only";
import { db } from "@/lib/server/db";
import { unseal } from "@/lib/server/crypto/secret-box";
import { enqueue } from "@/lib/server/jobs";
import { maskSecrets } from "@/lib/core/mask";
import { signBody, type TNotifyPayload } from "@/lib/core/notifications/events";
import { emailMessage, slackMessage } from "@/lib/core/notifications/messages";
import { postJson, SendError, sendEmail } from "./send";

// One attempt at a delivery (the `notify` job). A failed attempt is recorded (attempts, last error,
// HTTP status) and schedules the next one itself, after an exponential backoff
// (SPROUT_NOTIFY_BACKOFF_MS, default 15 s, doubling); after MAX_ATTEMPTS the delivery is failed.

export const MAX_ATTEMPTS = 5;
const backoffMs = (attempt: number) => Number(process.env.SPROUT_NOTIFY_BACKOFF_MS ?? 15_000) * 2 ** (attempt - 1);

type TTarget = { kind: "webhook" | "slack" | "email"; url: string | null; address: string | null; secret: string | null };

/** Sends it; resolves with the HTTP status of an answer (null for email). */
async function send(target: TTarget, deliveryId: number, payload: TNotifyPayload): Promise<number | null> {
  if (target.kind === "email") {
    await sendEmail({ to: target.address!, ...emailMessage(payload) });
    return null;
  }
  const url = unseal(target.url!);
  if (target.kind === "slack") return postJson(url, JSON.stringify(slackMessage(payload)), {});
  const body = JSON.stringify(payload);
  return postJson(url, body, {
    "x-sprout-event": payload.event,
    "x-sprout-delivery": String(deliveryId),
    "x-sprout-signature": signBody(unseal(target.secret!), body),
  });
}

export async function deliverNotification(deliveryId: number): Promise<void> {
  const d = await db.notificationDelivery.findUnique({ where: { id: deliveryId }, include: { target: true } });
  if (!d || d.status !== "pending") return; // its target was deleted, or an earlier run sent it
  const attempt = d.attempts + 1;
  let code: number | null = null;
  let error: string | null = null;
  try {
    code = await send(d.target, d.id, d.payload as unknown as TNotifyPayload);
  } catch (e) {
    if (!(e instanceof SendError)) console.error("[sprout] notification failed unexpectedly", e);
    error = maskSecrets(e instanceof Error ? e.message : String(e)).slice(0, 500);
    code = e instanceof SendError ? e.responseCode : null;
  }
  const status = error === null ? "delivered" : attempt >= MAX_ATTEMPTS ? "failed" : "pending";
  await db.$transaction(async (tx) => {
    const { count } = await tx.notificationDelivery.updateMany({
      where: { id: d.id, attempts: d.attempts, status: "pending" },
      data: { attempts: attempt, status, lastError: error ?? d.lastError, responseCode: code },
    });
    if (count && status === "pending") {
      const runAt = new Date(Date.now() + backoffMs(attempt));
      await enqueue(tx, { name: "notify", payload: { deliveryId: d.id }, key: `notify-${d.id}-${attempt + 1}`, runAt, maxAttempts: 5 });
    }
  });
}
