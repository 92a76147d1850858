import "server-only";
import type { z } from "zod";
import type { TRelease } from "@/lib/core/domain";
import { AppError } from "@/lib/core/errors";
import { formatPlanOrder } from "@/lib/core/planner";
import { promoteRefusal } from "@/lib/core/promote";
import { plainWarning } from "@/lib/core/rollback-impact";
import type { ZPromoteBody } from "@/lib/core/validation";
import { getBuildRow, getStageOf } from "@/lib/server/data/lookup";
import { nextStageOf } from "@/lib/server/data/get-stage";
import { planForStage, queueBuild } from "@/lib/server/data/queue-build";
import { preflightBuild } from "@/lib/server/data/preflight";
import { promotedArtifacts } from "@/lib/server/data/promote-artifacts";
import { promoteChanges } from "@/lib/server/data/promote-changes";
import { assertUnpinned, pinJson } from "@/lib/server/data/stage-pin";
import type { TBuildDetailJson, TPromotePlan } from "@/lib/core/contracts";
import type { TActor, TAppRef } from "@/lib/server/context";

// Promote build #n of a stage to another (the next in the pipeline unless named): a build of kind
// promote on the target stage deploys #n's artifacts, resolved for that stage, with no rebuild. Only
// a successful build is promoted (409 otherwise). Into a pinned stage it answers 423 unless forced
// (which unpins), and with requireApproval it waits for another deployer: queueBuild applies both.

export interface TPromoteSource {
  app: TAppRef;
  stage: string;
  number: number;
  /** the target stage; default the next stage of the pipeline */
  to?: string;
}

async function promoteSource({ app, stage, number, to }: TPromoteSource) {
  const { stage: from, build } = await getBuildRow(app, stage, number);
  const refusal = promoteRefusal(build, from.name);
  if (refusal) throw new AppError("conflict", refusal, { reason: "not-successful" });
  const into = to ? await getStageOf(app, to) : await nextStageOf(from);
  if (!into)
    throw new AppError(
      "bad_request",
      `to: ${from.name} is the last stage of ${app.name}'s pipeline; name the stage to promote #${number} to.`,
    );
  if (into.id === from.id)
    throw new AppError("bad_request", `to: #${number} already belongs to ${from.name}; promote it to another stage.`);
  const manifest = (build.target ?? {}) as TRelease;
  if (!Object.keys(manifest).length)
    throw new AppError("conflict", `Build #${number} of ${from.name} deployed no artifact; there is nothing to promote.`);
  const { artifacts, target: release, warnings } = await promotedArtifacts(from, into, manifest);
  return { from, build, into, artifacts, release, warnings };
}

/** GET …/builds/{n}/promote-plan?to=: per service the step and its resource changes, nothing stored or run. */
export async function promotePlan(source: TPromoteSource): Promise<TPromotePlan> {
  const { from, build, into, artifacts, release, ...rest } = await promoteSource(source);
  const plan = await planForStage(into, "promote", release, undefined, artifacts);
  const [blocking, changes] = await Promise.all([
    preflightBuild(into, "promote", release, artifacts),
    promoteChanges(into, plan, artifacts),
  ]);
  const warnings = [...plan.warnings, ...rest.warnings];
  return {
    from: { stage: from.name, number: build.number },
    to: into.name,
    order: formatPlanOrder(plan),
    steps: changes.steps,
    warnings: warnings.map((w) => ({ ...w, plain: plainWarning(w, false) })),
    resourcesFrom: changes.resourcesFrom,
    pinned: pinJson(into),
    requireApproval: into.requireApproval,
    blocking,
  };
}

export interface TPromoteOptions {
  app: TAppRef;
  stage: string;
  number: number;
  input: z.output<typeof ZPromoteBody>;
  actor: TActor;
}

/** POST …/builds/{n}/promote { to?, force? }: the queued promote build on the target stage. */
export async function promote({ app, stage, number, input, actor }: TPromoteOptions): Promise<TBuildDetailJson> {
  if (input.to) assertUnpinned(await getStageOf(app, input.to), app.name, "promote", input.force);
  const { from, build, into, artifacts, release, warnings } = await promoteSource({ app, stage, number, to: input.to });
  assertUnpinned(into, app.name, "promote", input.force);
  return queueBuild({
    stage: into,
    kind: "promote",
    target: release,
    artifacts,
    commit: { sha: build.commitSha, message: build.commitMessage, author: build.commitAuthor, branch: build.commitBranch },
    triggeredBy: actor.label,
    promotedFrom: { stage: from.name, number: build.number },
    force: input.force ?? false,
    warnings,
  });
}
