import "server-only";
import { db, type Prisma, type Stage } from "@/lib/server/db";
import { CHECKOUT_KEY, type TBuildTrigger } from "@/lib/core/domain";
import { AppError } from "@/lib/core/errors";
import type { TBuildDetailJson } from "@/lib/core/contracts";
import { buildDetailJson, buildDetailSelect } from "@/lib/server/data/build-json";
import { recordAudit } from "@/lib/server/data/audit";
import { endBuild } from "@/lib/server/operations/end-build";
import { dequeue, enqueue, runBuildJob, runBuildJobKey } from "@/lib/server/jobs";
import { notifyBuildEvent } from "@/lib/server/notifications/enqueue";
import { unpinIn } from "@/lib/server/operations/pin";
import { pinnedError, pinnedReason } from "./stage-pin";
import { awaitingBefore } from "./stage-queue";

// Queues a source build: the worker checks the commit out, reads sprout.yml, packages the services
// that changed and only then plans the deploy, so the build starts with one step, its checkout. A
// push build also ends the push builds of the stage still waiting ("superseded by #N"): the newest
// push wins, as in Seed. Manual deploys and rollbacks are never superseded. In a pinned stage a push
// build ends at once, skipped ("stage pinned to #12"), and a manual deploy answers 423 unless forced
// (which unpins); with requireApproval it waits for approval before its checkout: nothing runs.

export interface TSourceRequest {
  /** a branch or a sha, resolved by the checkout */
  ref: string;
  /** only these services (null: every service of sprout.yml) */
  services: string[] | null;
  /** rebuild services whose files did not change */
  force: boolean;
  /** a ref the mirror's branches do not cover, fetched before the checkout: a pull request's head (refs/pull/7/head) */
  fetchRef?: string;
}

export interface TQueueSourceBuild {
  stage: Stage;
  trigger: Extract<TBuildTrigger, "push" | "manual" | "api">;
  request: TSourceRequest;
  /** what is known of the commit before the checkout (a push names it; a deploy by branch does not yet) */
  commit: { sha: string; message: string; author: string | null; branch: string | null };
  triggeredBy: string;
}

type TTx = Prisma.TransactionClient;

export async function queueSourceBuild(input: TQueueSourceBuild, within?: TTx): Promise<TBuildDetailJson> {
  if (input.stage.archived) throw archivedError(input.stage);
  const run = async (tx: TTx) => {
    // the stage row's lock hands out numbers one at a time, gap-free for committed builds
    const [{ last_build_number: number, pinned_build: pinned, require_approval: approval }] = await tx.$queryRaw<
      { last_build_number: number; pinned_build: number | null; require_approval: boolean }[]
    >`UPDATE stages SET last_build_number = last_build_number + 1 WHERE id = ${input.stage.id}
      RETURNING last_build_number, pinned_build, require_approval`;
    const push = input.trigger === "push";
    if (pinned !== null && !push) {
      if (!input.request.force) {
        const st = await tx.stage.findUniqueOrThrow({ where: { id: input.stage.id }, include: { app: { select: { name: true } } } });
        throw pinnedError(st, st.app.name, "deploy");
      }
      await unpinIn(tx, { stageId: input.stage.id, actor: input.triggeredBy, because: `deploy #${number} with force` });
    }
    const skip = push && pinned !== null;
    if (push && !skip) await supersede(tx, input.stage.id, number);
    const awaiting = !skip && approval;
    const held = !skip && !awaiting && (await awaitingBefore(tx, input.stage.id)) !== null;
    const build = await tx.build.create({
      data: {
        stageId: input.stage.id,
        number,
        kind: "deploy",
        status: awaiting ? "awaiting_approval" : "queued",
        trigger: input.trigger,
        source: { ...input.request },
        commitSha: input.commit.sha,
        commitMessage: input.commit.message,
        commitAuthor: input.commit.author,
        commitBranch: input.commit.branch,
        triggeredBy: input.triggeredBy,
        target: {},
        steps: { create: [{ key: CHECKOUT_KEY, service: null, action: "checkout", status: "pending", phase: 1, after: [], position: 0 }] },
      },
      select: { id: true },
    });
    if (!awaiting && !held && !skip) await enqueue(tx, runBuildJob({ id: build.id, stageId: input.stage.id }));
    await recordAudit(tx, {
      appId: input.stage.appId,
      actor: input.triggeredBy,
      action: "deploy",
      target: `${input.stage.name} #${number}`,
      detail: { ref: input.request.ref, trigger: input.trigger, ...(input.request.force ? { force: true } : {}) },
    });
    if (skip) await skipBuild(tx, { id: build.id, stageId: input.stage.id }, pinnedReason(pinned));
    else await notifyBuildEvent(tx, build.id, awaiting ? "build.awaiting_approval" : "build.queued");
    return tx.build.findUniqueOrThrow({ where: { id: build.id }, select: buildDetailSelect });
  };
  return buildDetailJson(within ? await run(within) : await db.$transaction(run));
}

/** Ends a build that has not started as skipped, with the reason (superseded, or its stage pinned). */
export async function skipBuild(
  tx: TTx,
  b: { id: number; stageId: number; status?: "queued" | "awaiting_approval" },
  reason: string,
  extra: Prisma.BuildUpdateManyMutationInput = {},
): Promise<boolean> {
  const ended = await endBuild(tx, {
    buildId: b.id,
    stageId: b.stageId,
    status: "skipped",
    error: null,
    from: b.status ?? "queued",
    extra: { skippedReason: reason, ...extra },
  });
  if (!ended) return false;
  await tx.step.updateMany({ where: { buildId: b.id, status: "pending" }, data: { status: "skipped", error: `Skipped: ${reason}.` } });
  await dequeue(tx, runBuildJobKey(b.id));
  return true;
}

/** Ends the stage's push builds still waiting to start (or awaiting approval): #`by` replaces them. */
export async function supersede(tx: TTx, stageId: number, by: number) {
  const waiting = await tx.build.findMany({
    where: { stageId, status: { in: ["queued", "awaiting_approval"] }, trigger: "push", kind: "deploy", number: { not: by } },
    select: { id: true, status: true },
  });
  for (const b of waiting) {
    const status = b.status === "awaiting_approval" ? "awaiting_approval" : "queued";
    await skipBuild(tx, { id: b.id, stageId, status }, `superseded by #${by}`, { supersededBy: by });
  }
}

/** A closed pull request's stage builds nothing more until the pull request is reopened. */
export const archivedError = (stage: { name: string }) =>
  new AppError(
    "conflict",
    `Stage ${stage.name} is archived (its stacks were removed when its pull request closed); reopen the pull request to build it again.`,
  );
