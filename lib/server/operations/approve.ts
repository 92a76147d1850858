import "server-only";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { actorLabel } from "@/lib/core/roles";
import { recordAudit } from "@/lib/server/data/audit";
import { buildDetailJson, buildDetailSelect } from "@/lib/server/data/build-json";
import { getBuildRow } from "@/lib/server/data/lookup";
import { lockStage, releaseQueue } from "@/lib/server/data/stage-queue";
import { notifyBuildEvent } from "@/lib/server/notifications/enqueue";
import type { TBuildDetailJson } from "@/lib/core/contracts";
import type { TActor, TAppRef } from "@/lib/server/context";
import { endBuild } from "./end-build";

// Approval (docs/architecture.md, "Release flow"): a build awaiting approval runs once a deployer
// other than the one who queued it approves it (four eyes: the one who queued it is refused, 403),
// or ends `rejected`. Either way the stage's queue moves on under the stage row's lock, and the
// decision is audited in the same transaction.

export interface TApprovalOptions {
  app: TAppRef;
  stage: string;
  number: number;
  actor: TActor;
}

async function awaiting({ app, stage, number }: TApprovalOptions, doing: "approve" | "reject") {
  const { stage: st, build } = await getBuildRow(app, stage, number);
  if (build.status !== "awaiting_approval") {
    throw new AppError(
      "conflict",
      `Build #${number} is ${build.status.replace("_", " ")}, not waiting for approval: there is nothing to ${doing}.`,
      {
        status: build.status,
      },
    );
  }
  return { st, build };
}

export async function approveBuild(o: TApprovalOptions): Promise<TBuildDetailJson> {
  const { st, build } = await awaiting(o, "approve");
  if (build.triggeredBy === o.actor.label) {
    throw new AppError(
      "forbidden",
      `You queued #${build.number}; a deployer other than ${actorLabel(build.triggeredBy)} must approve it (stage ${st.name} requires a second pair of eyes).`,
    );
  }
  const row = await db.$transaction(async (tx) => {
    await lockStage(tx, st.id);
    const { count } = await tx.build.updateMany({
      where: { id: build.id, status: "awaiting_approval" },
      data: { status: "queued", approvedBy: o.actor.label, approvedAt: new Date() },
    });
    if (!count) throw new AppError("conflict", `Build #${build.number} was approved, rejected or canceled meanwhile; reload to see it.`);
    await recordAudit(tx, { appId: st.appId, actor: o.actor.label, action: "approve", target: `${st.name} #${build.number}` });
    await notifyBuildEvent(tx, build.id, "build.queued");
    await releaseQueue(tx, st.id);
    return tx.build.findUniqueOrThrow({ where: { id: build.id }, select: buildDetailSelect });
  });
  return buildDetailJson(row);
}

export async function rejectBuild(o: TApprovalOptions): Promise<TBuildDetailJson> {
  const { st, build } = await awaiting(o, "reject");
  const row = await db.$transaction(async (tx) => {
    const ended = await endBuild(tx, {
      buildId: build.id,
      stageId: st.id,
      status: "rejected",
      error: null,
      from: "awaiting_approval",
      extra: { skippedReason: `rejected by ${actorLabel(o.actor.label)}` },
    });
    if (!ended) throw new AppError("conflict", `Build #${build.number} was approved, rejected or canceled meanwhile; reload to see it.`);
    await tx.step.updateMany({
      where: { buildId: build.id, status: "pending" },
      data: { status: "skipped", error: "Skipped: the build was rejected." },
    });
    await recordAudit(tx, { appId: st.appId, actor: o.actor.label, action: "reject", target: `${st.name} #${build.number}` });
    return tx.build.findUniqueOrThrow({ where: { id: build.id }, select: buildDetailSelect });
  });
  return buildDetailJson(row);
}
