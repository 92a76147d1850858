import "server-only";
import { db, type Prisma, type Stage } from "@/lib/server/db";
import type { TBuildKind, TBuildTrigger, TRelease } from "@/lib/core/domain";
import { AppError } from "@/lib/core/errors";
import { planBuild, type TPlan, type TPlanError, type TPlanWarning } from "@/lib/core/planner";
import { buildDetailJson, buildDetailSelect } from "@/lib/server/data/build-json";
import { liveRelease, serviceStates, type TArtifactRow } from "@/lib/server/data/service-states";
import { blockingError, preflightBuild } from "@/lib/server/data/preflight";
import { checkStacks, stackNamesOf } from "@/lib/server/data/stacks";
import { recordAudit } from "@/lib/server/data/audit";
import { archivedError } from "@/lib/server/data/queue-source-build";
import { enqueue, runBuildJob } from "@/lib/server/jobs";
import { stepRows } from "@/lib/core/planner/step-rows";
import type { TBuildDetailJson } from "@/lib/core/contracts";
import { notifyBuildEvent } from "@/lib/server/notifications/enqueue";
import { unpinIn } from "@/lib/server/operations/pin";
import { pinnedError } from "./stage-pin";
import { awaitingBefore } from "./stage-queue";
import { assertTemplatesFit } from "./template-fit";

// Queues a build: plans it from the stage's live state, checks that no other app's stage holds the
// stacks it would touch, and asks the stage's driver whether stacks outside the app would refuse it
// (all read only); then one transaction stores a deploy's new artifacts and services, gives the
// build the stage's next number, stores it with its steps, enqueues its job and writes its audit
// entry (a refused build leaves no row; a half-queued or
// unaudited build cannot exist). Under the stage row's lock it also applies the release flow: a
// deploy or promote into a pinned stage is refused (423) unless forced, which unpins; with
// requireApproval it waits in awaiting_approval with no job; behind a build awaiting approval it
// is queued with no job (lib/server/data/stage-queue.ts). Rollbacks skip all three.

export interface TQueueBuildInput {
  stage: Stage;
  kind: TBuildKind;
  /** service -> artifact digest; stored artifacts, or `artifacts`. A rollback's target is a whole release. */
  target: TRelease;
  /** a deploy's artifacts, stored (with their services) only when the build is accepted */
  artifacts?: TArtifactRow[];
  commit: { sha: string; message: string; author?: string | null; branch?: string | null };
  triggeredBy: string;
  /** why, in the words of whoever queued it (a rollback's optional reason) */
  reason?: string | null;
  rollbackOf?: number;
  redeployOf?: number;
  /** what reading the templates found worth saying (a transform that may add exports), shown with the plan's */
  warnings?: TPlanWarning[];
  /** default: from the kind, else manual for a user and api for a token */
  trigger?: TBuildTrigger;
  promotedFrom?: { stage: string; number: number };
  /** a partial rollback's restored services */
  rollbackServices?: string[];
  /** into a pinned stage: unpin it in the same transaction instead of answering 423 */
  force?: boolean;
}

// A dependency cycle or unknown dependency is the manifest's fault (400); a plan that no single
// pass can satisfy is a conflict with what is live (409).
const BAD_INPUT_CODES = new Set(["dependency-cycle", "unknown-dependency", "duplicate-export"]);

export function planErrorToAppError(error: TPlanError): AppError {
  return new AppError(BAD_INPUT_CODES.has(error.code) ? "bad_request" : "conflict", error.message, {
    plan: { code: error.code, services: error.services, ...(error.exports ? { exports: error.exports } : {}) },
  });
}

export async function planForStage(
  stage: Stage,
  kind: TBuildKind,
  target: TRelease,
  targetLabel?: string,
  pending: TArtifactRow[] = [],
): Promise<TPlan> {
  const live = await serviceStates(db, stage, await liveRelease(db, stage.id));
  const result = planBuild({ kind, live, target: await serviceStates(db, stage, target, pending), targetLabel });
  if (!result.ok) throw planErrorToAppError(result.error);
  return result.plan;
}

/** `within`: the caller's transaction (a webhook's, which stores its delivery with the builds it queued). */
export async function queueBuild(input: TQueueBuildInput, within?: Prisma.TransactionClient): Promise<TBuildDetailJson> {
  if (input.stage.archived) throw archivedError(input.stage);
  const label = input.rollbackOf ? `#${input.rollbackOf}` : undefined;
  const artifacts = input.artifacts ?? [];
  const plan = await planForStage(input.stage, input.kind, input.target, label, artifacts);
  await assertTemplatesFit(input.stage, plan, artifacts);
  const acting = plan.steps.filter((s) => s.action !== "unchanged").map((s) => s.service);
  const checks = Object.values(await checkStacks(input.stage, await stackNamesOf(db, input.stage, acting)));
  const foreign = checks.flatMap((c) => ("refused" in c ? [c.refused] : []));
  if (foreign.length) throw new AppError("conflict", foreign.join(" "), { stacks: foreign });
  // stacks outside the app that import what this build drops would make it fail half-way
  const blocking = await preflightBuild(input.stage, input.kind, input.target, artifacts);
  if (blocking.length) throw blockingError(blocking);
  const write = async (tx: Prisma.TransactionClient) => {
    if (artifacts.length) {
      await tx.artifact.createMany({ data: artifacts, skipDuplicates: true });
      const services = artifacts.map((a) => ({ appId: input.stage.appId, name: a.service }));
      await tx.service.createMany({ data: services, skipDuplicates: true });
    }
    // the stage row's lock hands out numbers one at a time, gap-free for committed builds
    const [{ last_build_number: number, pinned_build: pinned, require_approval: approval }] = await tx.$queryRaw<
      { last_build_number: number; pinned_build: number | null; require_approval: boolean }[]
    >`UPDATE stages SET last_build_number = last_build_number + 1 WHERE id = ${input.stage.id}
      RETURNING last_build_number, pinned_build, require_approval`;
    // a rollback, and a closed pull request's remove, restore a release: never pinned out, never held for approval
    const rollback = input.kind === "rollback" || input.kind === "remove";
    const doing = input.kind === "promote" ? "promote" : input.redeployOf ? "redeploy" : "deploy";
    if (!rollback && pinned !== null) {
      if (!input.force) {
        const st = await tx.stage.findUniqueOrThrow({ where: { id: input.stage.id }, include: { app: { select: { name: true } } } });
        throw pinnedError(st, st.app.name, doing);
      }
      await unpinIn(tx, { stageId: input.stage.id, actor: input.triggeredBy, because: `${doing} #${number} with force` });
    }
    const awaiting = !rollback && approval;
    const held = !rollback && !awaiting && (await awaitingBefore(tx, input.stage.id)) !== null;
    const build = await tx.build.create({
      data: {
        stageId: input.stage.id,
        number,
        kind: input.kind,
        status: awaiting ? "awaiting_approval" : "queued",
        trigger:
          input.trigger ??
          (input.kind === "rollback"
            ? "rollback"
            : input.kind === "promote"
              ? "promote"
              : input.triggeredBy.startsWith("user:")
                ? "manual"
                : "api"),
        promotedFromStage: input.promotedFrom?.stage ?? null,
        promotedFromNumber: input.promotedFrom?.number ?? null,
        rollbackServices: input.rollbackServices ?? [],
        rollbackOf: input.rollbackOf ?? null,
        redeployOf: input.redeployOf ?? null,
        commitSha: input.commit.sha,
        commitMessage: input.commit.message,
        commitAuthor: input.commit.author ?? null,
        commitBranch: input.commit.branch ?? null,
        triggeredBy: input.triggeredBy,
        reason: input.reason ?? null,
        target: input.target,
        warnings: [...plan.warnings, ...(input.warnings ?? [])] as object[],
        steps: { create: stepRows(plan) },
      },
      select: { id: true },
    });
    if (!awaiting && !held) await enqueue(tx, runBuildJob({ id: build.id, stageId: input.stage.id }));
    await recordAudit(tx, {
      appId: input.stage.appId,
      actor: input.triggeredBy,
      action: rollback ? input.kind : doing,
      target: `${input.stage.name} #${number}`,
      detail: auditDetail(input),
    });
    await notifyBuildEvent(tx, build.id, awaiting ? "build.awaiting_approval" : "build.queued");
    return tx.build.findUniqueOrThrow({ where: { id: build.id }, select: buildDetailSelect });
  };
  return buildDetailJson(within ? await write(within) : await db.$transaction(write));
}

function auditDetail(input: TQueueBuildInput): Record<string, unknown> {
  const forced = input.force ? { force: true } : {};
  if (input.rollbackOf)
    return {
      rollbackOf: input.rollbackOf,
      ...(input.rollbackServices?.length ? { services: input.rollbackServices } : {}),
      ...(input.reason ? { reason: input.reason } : {}),
    };
  if (input.promotedFrom) return { promotedFrom: `${input.promotedFrom.stage} #${input.promotedFrom.number}`, ...forced };
  if (input.redeployOf) return { redeployOf: input.redeployOf, ...forced };
  return { commit: input.commit.sha, ...forced };
}
