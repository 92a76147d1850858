import "server-only";
import { db } from "@/lib/server/db";
import type { TBuildKind, TRelease } from "@/lib/core/domain";
import { AppError } from "@/lib/core/errors";
import { planBuild, type TPlan, type TPlanError } from "@/lib/core/planner";
import { buildDetailJson, buildDetailSelect } from "@/lib/server/data/build-json";
import { liveRelease, serviceStates } from "@/lib/server/data/service-states";
import { blockingError, preflightBuild } from "@/lib/server/data/preflight";
import { recordAudit } from "@/lib/server/data/audit";
import { enqueue, runBuildJob } from "@/lib/server/jobs";
import { stepRows } from "@/lib/core/planner/step-rows";
import type { TDriverName } from "@/lib/core/domain";
import type { TBuildDetailJson } from "@/lib/core/contracts";

// Queues a build: plans it from the stage's live state and asks the stage's driver whether stacks
// outside the app would refuse it (both read only); then one transaction gives it the stage's next
// number, stores it with its steps, enqueues its job and writes its audit entry (a half-queued or
// unaudited build cannot exist).

export interface TQueueBuildInput {
  stage: { id: number; appId: number; name: string; driver: TDriverName; region: string | null; endpoint: string | null };
  kind: TBuildKind;
  /** service -> artifact digest; the artifacts must be stored. A rollback's target is a whole release. */
  target: TRelease;
  commit: { sha: string; message: string; author?: string | null; branch?: string | null };
  triggeredBy: string;
  /** why, in the words of whoever queued it (a rollback's optional reason) */
  reason?: string | null;
  rollbackOf?: number;
  redeployOf?: number;
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
  stage: { id: number; name: string },
  kind: TBuildKind,
  target: TRelease,
  targetLabel?: string,
): Promise<TPlan> {
  const live = await serviceStates(db, stage.name, await liveRelease(db, stage.id));
  const result = planBuild({ kind, live, target: await serviceStates(db, stage.name, target), targetLabel });
  if (!result.ok) throw planErrorToAppError(result.error);
  return result.plan;
}

export async function queueBuild(input: TQueueBuildInput): Promise<TBuildDetailJson> {
  const label = input.rollbackOf ? `#${input.rollbackOf}` : undefined;
  const plan = await planForStage(input.stage, input.kind, input.target, label);
  // stacks outside the app that import what this build drops would make it fail half-way
  const blocking = await preflightBuild(input.stage, input.kind, input.target);
  if (blocking.length) throw blockingError(blocking);
  const row = await db.$transaction(async (tx) => {
    // the stage row's lock hands out numbers one at a time, gap-free for committed builds
    const [{ last_build_number: number }] = await tx.$queryRaw<{ last_build_number: number }[]>`
      UPDATE stages SET last_build_number = last_build_number + 1 WHERE id = ${input.stage.id} RETURNING last_build_number`;
    const build = await tx.build.create({
      data: {
        stageId: input.stage.id,
        number,
        kind: input.kind,
        rollbackOf: input.rollbackOf ?? null,
        redeployOf: input.redeployOf ?? null,
        commitSha: input.commit.sha,
        commitMessage: input.commit.message,
        commitAuthor: input.commit.author ?? null,
        commitBranch: input.commit.branch ?? null,
        triggeredBy: input.triggeredBy,
        reason: input.reason ?? null,
        target: input.target,
        warnings: plan.warnings as object[],
        steps: { create: stepRows(plan) },
      },
      select: { id: true },
    });
    await enqueue(tx, runBuildJob({ id: build.id, stageId: input.stage.id }));
    await recordAudit(tx, {
      appId: input.stage.appId,
      actor: input.triggeredBy,
      action: input.kind === "rollback" ? "rollback" : input.redeployOf ? "redeploy" : "deploy",
      target: `${input.stage.name} #${number}`,
      detail: input.rollbackOf
        ? { rollbackOf: input.rollbackOf, ...(input.reason ? { reason: input.reason } : {}) }
        : input.redeployOf
          ? { redeployOf: input.redeployOf }
          : { commit: input.commit.sha },
    });
    return tx.build.findUniqueOrThrow({ where: { id: build.id }, select: buildDetailSelect });
  });
  return buildDetailJson(row);
}
