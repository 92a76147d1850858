import "server-only";
import { db, type Prisma } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { packageKey } from "@/lib/core/domain";
import { stepRows } from "@/lib/core/planner/step-rows";
import { planForStage } from "@/lib/server/data/queue-build";
import { blockingError, preflightBuild } from "@/lib/server/data/preflight";
import { checkStacks, stackNamesOf } from "@/lib/server/data/stacks";
import { assertTemplatesFit } from "@/lib/server/data/template-fit";
import type { TClaimedBuild } from "@/lib/worker/build/claim";
import type { TPlanWarning } from "@/lib/core/planner";
import { packagedWarnings, storeArtifact } from "./package";
import type { TSourceState } from "./state";

// Once packaged, a source build is planned as any deploy: its target is each service's new artifact,
// or, for a service that was not rebuilt, its live template with this stage's parameter values now
// (the same artifact when nothing changed: an unchanged step). The deploy steps follow the package
// steps; a service's deploy step waits for its own package step.

/** null when planned; else why the build cannot deploy (the planner's refusal, a stack of another app). */
export async function planSourceDeploy(build: TClaimedBuild, state: TSourceState): Promise<string | null> {
  const packaged = await db.step.findMany({
    where: { buildId: build.id, action: "package" },
    select: { service: true, artifactDigest: true },
  });
  const target: Record<string, string> = {};
  // what each template warns of, as a manifest deploy's plan shows it
  const templateWarnings: TPlanWarning[] = [];
  for (const p of packaged) {
    target[p.service!] = p.artifactDigest!;
    const { template } = await db.artifact.findUniqueOrThrow({ where: { digest: p.artifactDigest! }, select: { template: true } });
    templateWarnings.push(...(await packagedWarnings(build, state, p.service!, template)));
  }
  for (const [service, digest] of Object.entries(state.reuse ?? {})) {
    const live = await db.artifact.findUniqueOrThrow({ where: { digest } });
    const dependsOn = state.config!.find((s) => s.name === service)?.dependsOn ?? live.dependsOn;
    const stored = await storeArtifact(build, state, service, dependsOn, live.template);
    target[service] = stored.digest;
    templateWarnings.push(...stored.warnings);
  }
  try {
    const plan = await planForStage(build.stage, "deploy", target);
    await assertTemplatesFit(build.stage, plan);
    const acting = plan.steps.filter((s) => s.action !== "unchanged").map((s) => s.service);
    const foreign = Object.values(await checkStacks(build.stage, await stackNamesOf(db, build.stage, acting))).flatMap((c) =>
      "refused" in c ? [c.refused] : [],
    );
    if (foreign.length) return foreign.join(" ");
    const blocking = await preflightBuild(build.stage, "deploy", target);
    if (blocking.length) return blockingError(blocking).message;
    const offset = packaged.length ? 2 : 1;
    const rows = stepRows(plan).map((r, i) => ({
      ...r,
      buildId: build.id,
      phase: r.phase + offset,
      position: packaged.length + 1 + i,
      after: state.rebuild?.includes(r.service) ? [packageKey(r.service), ...r.after] : r.after,
    }));
    await db.$transaction([
      db.step.createMany({ data: rows }),
      db.build.update({
        where: { id: build.id },
        data: { target, warnings: [...plan.warnings, ...templateWarnings] as unknown as Prisma.InputJsonValue },
      }),
    ]);
    return null;
  } catch (e) {
    if (e instanceof AppError) return e.message;
    throw e;
  }
}
