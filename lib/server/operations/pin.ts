import "server-only";
import { db, type Prisma } from "@/lib/server/db";
import { recordAudit } from "@/lib/server/data/audit";
import { getStageOf } from "@/lib/server/data/lookup";
import { pinJson } from "@/lib/server/data/stage-pin";
import { notifyStageEvent } from "@/lib/server/notifications/enqueue";
import type { TPinJson } from "@/lib/core/contracts";
import type { TActor, TAppRef } from "@/lib/server/context";

// Pin after rollback (docs/architecture.md, "Release flow"): a successful rollback pins its stage to
// the release it restored, in the transaction that ends it, so that no push undoes the rollback
// behind the back of whoever is handling the incident. Unpinning (or a forced deploy, which unpins)
// is a deployer's explicit act. Both are audited and notified.

type TTx = Prisma.TransactionClient;

/** Called by endBuild for a rollback that succeeded. */
export async function pinAfterRollback(
  tx: TTx,
  b: { id: number; stageId: number; number: number; rollbackOf: number | null; triggeredBy: string; reason: string | null },
): Promise<void> {
  if (b.rollbackOf === null) return;
  const stage = await tx.stage.update({
    where: { id: b.stageId },
    data: { pinnedBuild: b.rollbackOf, pinnedRollback: b.number, pinnedBy: b.triggeredBy, pinnedAt: new Date(), pinnedReason: b.reason },
    select: { name: true, appId: true },
  });
  await recordAudit(tx, {
    appId: stage.appId,
    actor: b.triggeredBy,
    action: "stage.pin",
    target: stage.name,
    detail: { build: b.rollbackOf, rollback: b.number, ...(b.reason ? { reason: b.reason } : {}) },
  });
  await notifyStageEvent(tx, {
    stageId: b.stageId,
    event: "stage.pinned",
    pin: { build: b.rollbackOf, by: b.triggeredBy, reason: b.reason },
    rollbackId: b.id,
  });
}

/** Unpins in `tx` when pinned; `because` says why in the audit ("forced by promote #15"). False when it was not pinned. */
export async function unpinIn(tx: TTx, o: { stageId: number; actor: string; because?: string }): Promise<boolean> {
  const before = await tx.stage.findUniqueOrThrow({
    where: { id: o.stageId },
    select: { name: true, appId: true, pinnedBuild: true, pinnedRollback: true },
  });
  if (before.pinnedBuild === null) return false;
  const { count } = await tx.stage.updateMany({
    where: { id: o.stageId, pinnedBuild: { not: null } },
    data: { pinnedBuild: null, pinnedRollback: null, pinnedBy: null, pinnedAt: null, pinnedReason: null },
  });
  if (!count) return false;
  await recordAudit(tx, {
    appId: before.appId,
    actor: o.actor,
    action: "stage.unpin",
    target: before.name,
    detail: { build: before.pinnedBuild, ...(o.because ? { because: o.because } : {}) },
  });
  await notifyStageEvent(tx, {
    stageId: o.stageId,
    event: "stage.unpinned",
    pin: { build: before.pinnedBuild, by: o.actor, reason: null },
  });
  return true;
}

/** DELETE …/stages/{stage}/pin: unpins (nothing happens, and nothing is audited, when it was not pinned). */
export async function unpinStage({
  app,
  stage,
  actor,
}: {
  app: TAppRef;
  stage: string;
  actor: TActor;
}): Promise<{ pinned: TPinJson | null; unpinned: boolean }> {
  const st = await getStageOf(app, stage);
  const unpinned = await db.$transaction((tx) => unpinIn(tx, { stageId: st.id, actor: actor.label }));
  const now = await db.stage.findUniqueOrThrow({ where: { id: st.id } });
  return { pinned: pinJson(now), unpinned };
}
