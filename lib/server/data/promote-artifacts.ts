import "server-only";
import { db, type Stage } from "@/lib/server/db";
import { artifactDigest } from "@/lib/core/artifacts";
import type { TRelease } from "@/lib/core/domain";
import { AppError } from "@/lib/core/errors";
import type { TPlanWarning } from "@/lib/core/planner";
import { promotedParameters } from "@/lib/core/promote";
import { TemplateError } from "@/lib/core/templates";
import { analyzeFor, stageTarget, type TArtifactRow } from "@/lib/server/data/service-states";
import { stackNamesOf } from "@/lib/server/data/stacks";

// A promote deploys the source build's artifacts with no rebuild, but an artifact's digest includes
// its resolved parameter values: each service's template (`${stage}` still unresolved) is read again
// for the target stage, with that stage's values (lib/core/promote.ts says which values travel),
// giving the artifacts the target stage deploys. They are stored only when the promote is queued.

type TParameterSettings = Record<string, Record<string, string>>;

export async function promotedArtifacts(
  from: Stage,
  to: Stage,
  manifest: TRelease,
): Promise<{ artifacts: TArtifactRow[]; target: TRelease; warnings: TPlanWarning[] }> {
  const services = Object.keys(manifest).sort();
  const rows = await db.artifact.findMany({ where: { digest: { in: Object.values(manifest) } } });
  const byDigest = new Map(rows.map((r) => [r.digest, r]));
  const missing = services.filter((s) => !byDigest.has(manifest[s]!));
  if (missing.length)
    throw new AppError("conflict", `The artifacts of ${missing.join(", ")} are no longer stored; this build cannot be promoted.`);
  const [at, stackOf] = await Promise.all([stageTarget(to), stackNamesOf(db, to, services)]);
  const fromValues = (from.parameters ?? {}) as TParameterSettings;
  const toValues = (to.parameters ?? {}) as TParameterSettings;
  const warnings: TPlanWarning[] = [];
  const artifacts = services.map((service): TArtifactRow => {
    const a = byDigest.get(manifest[service]!)!;
    const given = promotedParameters(a.parameters as Record<string, string>, fromValues[service], toValues[service]);
    let analysis;
    try {
      analysis = analyzeFor(at, service, stackOf[service]!, a.template, given);
    } catch (e) {
      if (e instanceof TemplateError) throw new AppError("conflict", `${service} cannot be read for stage ${to.name}: ${e.message}`);
      throw e;
    }
    for (const w of analysis.warnings)
      warnings.push({ code: `template-${w.code}`, message: `${service}: ${w.message}`, services: [service] });
    return {
      digest: artifactDigest(service, a.dependsOn, a.template, analysis.parameters),
      service,
      template: a.template,
      dependsOn: a.dependsOn,
      parameters: analysis.parameters,
      noEcho: analysis.noEchoParameters,
    };
  });
  return { artifacts, target: Object.fromEntries(artifacts.map((a) => [a.service, a.digest])), warnings };
}
