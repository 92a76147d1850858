import "server-only";
import { db } from "@/lib/server/db";
import type { TRelease } from "@/lib/core/domain";
import { AppError, isUniqueViolation } from "@/lib/core/errors";
import { formatPlanOrder } from "@/lib/core/planner";
import { getBuildRow } from "@/lib/server/data/lookup";
import { planForStage, queueBuild } from "@/lib/server/data/queue-build";
import { eligibilities } from "@/lib/server/data/rollback-eligibility";
import { buildDetailJson, buildDetailSelect } from "@/lib/server/data/build-json";
import { preflightBuild } from "@/lib/server/data/preflight";
import { liveBuild } from "@/lib/server/data/live-build";
import { rollbackImpact } from "@/lib/server/data/rollback-impact";
import { plainWarning } from "@/lib/core/rollback-impact";
import type { TBuildDetailJson, TRollbackPlan } from "@/lib/core/contracts";
import type { TActor, TAppRef } from "@/lib/server/context";
import { partialTarget, samePartial, type TPartial } from "./partial-rollback";

// Rollback to build #N (docs/architecture.md, "Rollback"): restores #N's release whole, in the reverse of
// the live deployment order, as ONE new build; or, given `services`, only those services and the
// ones that must move with them (./partial-rollback.ts). The database's one-active-rollback index
// makes a double click, two tabs or twenty concurrent requests create one build.

/** Which build to roll back to: the app and stage it belongs to and its number; `services` for a partial rollback. */
export interface TRollbackTarget {
  app: TAppRef;
  stage: string;
  number: number;
  services?: string[];
}

async function eligibleTarget({ app, stage, number, services }: TRollbackTarget) {
  const { stage: st, build } = await getBuildRow(app, stage, number);
  const verdict = (await eligibilities(st.id, [build])).get(build.number)!;
  const whole = (build.release ?? {}) as TRelease;
  if (!services?.length) return { st, build, release: whole, verdict, partial: null };
  // a partial rollback of a release that is live as a whole may still change nothing: partialTarget says so
  if (!verdict.eligible && verdict.code !== "already-live") throw new AppError("conflict", verdict.reason, { reason: verdict.code });
  const partial = await partialTarget(st, build.number, whole, services);
  return { st, build, release: partial.target, verdict: { eligible: true } as const, partial };
}

async function activeRollback(stageId: number) {
  return db.build.findFirst({ where: { stageId, kind: "rollback", status: { in: ["queued", "running"] } }, select: buildDetailSelect });
}

/** Whether an active rollback is the one asked for: same target, same services. */
const sameRollback = (active: { rollbackOf: number | null; rollbackServices: string[] }, number: number, partial: TPartial | null) =>
  active.rollbackOf === number && samePartial(active.rollbackServices, partial);

function busy(active: { number: number; rollbackOf: number | null; status: string; rollbackServices: string[] }): AppError {
  const what = active.rollbackServices.length ? `of ${active.rollbackServices.join(", ")} ` : "";
  return new AppError(
    "conflict",
    `Build #${active.number} (rollback ${what}to #${active.rollbackOf}) is already ${active.status}; wait for it to end or cancel it before rolling back elsewhere.`,
    { build: active.number },
  );
}

export async function rollbackPlan(target: TRollbackTarget): Promise<TRollbackPlan> {
  const { st, build, release, verdict, partial } = await eligibleTarget(target);
  const active = await activeRollback(st.id);
  if (active && !sameRollback(active, build.number, partial)) throw busy(active);
  if (!active && !verdict.eligible) throw new AppError("conflict", verdict.reason, { reason: verdict.code });
  const plan = await planForStage(st, "rollback", release, `#${build.number}`);
  const [blocking, live] = await Promise.all([preflightBuild(st, "rollback", release), liveBuild(st.id)]);
  const impact = await rollbackImpact({
    stageId: st.id,
    target: { number: build.number, release },
    live,
    newest: st.lastBuildNumber,
    plan,
  });
  return {
    target: build.number,
    live,
    order: formatPlanOrder(plan),
    ...impact,
    warnings: plan.warnings.map((w) => ({ ...w, plain: plainWarning(w, true) })),
    pending: active?.number ?? null,
    blocking,
    partial: partial && { picked: target.services!, services: partial.services, moved: partial.moved },
  };
}

/**
 * created: false when an identical rollback was already queued or running (it is returned, with
 * its own reason). `reason` is kept with the build and in the audit.
 */
export async function rollback({
  actor,
  reason = null,
  ...target
}: TRollbackTarget & { actor: TActor; reason?: string | null }): Promise<{ build: TBuildDetailJson; created: boolean }> {
  const { st, build, release, verdict, partial } = await eligibleTarget(target);
  const existing = async () => {
    const active = await activeRollback(st.id);
    if (!active) return null;
    if (!sameRollback(active, build.number, partial)) throw busy(active);
    return { build: buildDetailJson(active), created: false };
  };
  const already = await existing();
  if (already) return already;
  if (!verdict.eligible) throw new AppError("conflict", verdict.reason, { reason: verdict.code });
  try {
    const queued = await queueBuild({
      stage: st,
      kind: "rollback",
      target: release,
      rollbackOf: build.number,
      rollbackServices: partial?.services,
      commit: { sha: build.commitSha, message: build.commitMessage, author: build.commitAuthor, branch: build.commitBranch },
      triggeredBy: actor.label,
      reason,
    });
    return { build: queued, created: true };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    // another request won the race; answer with its build
    const winner = await existing();
    if (winner) return winner;
    throw new AppError("conflict", "Another rollback of this stage was queued at the same moment; reload to see it.");
  }
}
