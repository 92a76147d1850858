import "server-only";
import type { Prisma } from "@/lib/server/db";
import { enqueue } from "@/lib/server/jobs";
import { stageMasker } from "@/lib/server/data/stage-variables";
import {
  notifyPayload,
  wants,
  type TDeliveryEvent,
  type TNotifyBuild,
  type TNotifyEvent,
  type TNotifyPayload,
} from "@/lib/core/notifications/events";

// Notifications are deliveries written, and their `notify` jobs enqueued, in the transaction of
// the change that causes them (a build queued, started or ended; a stage pinned or unpinned): a
// delivery exists exactly when its cause commits, and sending it never delays that change. The
// payload is taken then, as the event saw the build.

type TTx = Prisma.TransactionClient;

/** The dashboard's address in links: SPROUT_URL, else a local default. */
export function publicUrl(): string {
  return (process.env.SPROUT_URL || process.env.BETTER_AUTH_URL || `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, "");
}

export const buildUrl = (app: string, stage: string, number: number) =>
  `${publicUrl()}/apps/${encodeURIComponent(app)}/stages/${encodeURIComponent(stage)}/builds/${number}`;

/** A job's key per delivery: a retry replaces nothing but its own next attempt. */
export const notifyJobKey = (deliveryId: number) => `notify-${deliveryId}`;

async function deliver(tx: TTx, stageId: number, event: TDeliveryEvent, payload: TNotifyPayload, only?: number): Promise<number[]> {
  const targets = await tx.notificationTarget.findMany({
    where: { stageId, ...(only ? { id: only } : {}) },
    select: { id: true, events: true },
    orderBy: { id: "asc" },
  });
  const ids: number[] = [];
  const wanted = targets.filter((t) => wants(t.events, event));
  // the stage's secret values never leave in a message (a commit message or an error may hold one)
  const masked = wanted.length ? maskStrings(payload, await stageMasker(stageId)) : payload;
  for (const t of wanted) {
    const d = await tx.notificationDelivery.create({
      data: { targetId: t.id, event, payload: masked as unknown as Prisma.InputJsonValue },
      select: { id: true },
    });
    await enqueue(tx, { name: "notify", payload: { deliveryId: d.id }, key: notifyJobKey(d.id), maxAttempts: 5 });
    ids.push(d.id);
  }
  return ids;
}

/** `value` with `mask` applied to every string in it. */
function maskStrings<T>(value: T, mask: (text: string) => string): T {
  if (typeof value === "string") return mask(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskStrings(v, mask)) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskStrings(v, mask)])) as T;
  return value;
}

const buildSelect = {
  number: true,
  kind: true,
  status: true,
  rollbackOf: true,
  commitSha: true,
  commitMessage: true,
  commitAuthor: true,
  commitBranch: true,
  triggeredBy: true,
  promotedFromStage: true,
  promotedFromNumber: true,
  rollbackServices: true,
  error: true,
  stageId: true,
  stage: { select: { name: true, app: { select: { name: true } } } },
} satisfies Prisma.BuildSelect;

type TBuildRow = Prisma.BuildGetPayload<{ select: typeof buildSelect }>;

function notifyBuild(b: TBuildRow): TNotifyBuild {
  return {
    number: b.number,
    kind: b.kind,
    status: b.status,
    rollbackOf: b.rollbackOf,
    commit: { sha: b.commitSha, message: b.commitMessage, author: b.commitAuthor, branch: b.commitBranch },
    url: buildUrl(b.stage.app.name, b.stage.name, b.number),
    triggeredBy: b.triggeredBy,
    promotedFrom: b.promotedFromStage && b.promotedFromNumber ? { stage: b.promotedFromStage, number: b.promotedFromNumber } : null,
    rollbackServices: b.rollbackServices.length ? b.rollbackServices : null,
    error: b.error,
  };
}

/** Tells the stage's targets that wants it of what just happened to a build (read as it is in `tx`). */
export async function notifyBuildEvent(tx: TTx, buildId: number, event: TNotifyEvent): Promise<void> {
  const b = await tx.build.findUnique({ where: { id: buildId }, select: buildSelect });
  if (!b) return;
  const payload = notifyPayload({
    event,
    app: b.stage.app.name,
    stage: b.stage.name,
    build: notifyBuild(b),
    at: new Date().toISOString(),
  });
  await deliver(tx, b.stageId, event, payload);
}

/** stage.pinned / stage.unpinned: who did it; for a pin, the build whose release it holds and the rollback build. */
export async function notifyStageEvent(
  tx: TTx,
  o: { stageId: number; event: "stage.pinned" | "stage.unpinned"; pin: NonNullable<TNotifyPayload["pin"]>; rollbackId?: number },
): Promise<void> {
  const stage = await tx.stage.findUniqueOrThrow({ where: { id: o.stageId }, select: { name: true, app: { select: { name: true } } } });
  const rollback = o.rollbackId ? await tx.build.findUnique({ where: { id: o.rollbackId }, select: buildSelect }) : null;
  const payload = notifyPayload({
    event: o.event,
    app: stage.app.name,
    stage: stage.name,
    build: rollback ? notifyBuild(rollback) : null,
    pin: o.pin,
    at: new Date().toISOString(),
  });
  await deliver(tx, o.stageId, o.event, payload);
}

/** "Send test": one delivery to one target, whatever its filter. */
export async function notifyTest(tx: TTx, o: { stageId: number; targetId: number; app: string; stage: string }): Promise<number> {
  const payload = notifyPayload({ event: "test", app: o.app, stage: o.stage, build: null, at: new Date().toISOString() });
  const [id] = await deliver(tx, o.stageId, "test", payload, o.targetId);
  return id!;
}
