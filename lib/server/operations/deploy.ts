import "server-only";
import { db } from "@/lib/server/db";
import { artifactDigest, templateText } from "@/lib/core/artifacts";
import { AppError } from "@/lib/core/errors";
import { deployedTemplateBytes, inlineTooLargeMessage, MAX_INLINE_TEMPLATE_BYTES, TemplateError } from "@/lib/core/templates";
import { analyzeFor, stageTarget } from "@/lib/server/data/service-states";
import type { z } from "zod";
import type { ZDeployBody } from "@/lib/core/validation";
import { getStageOf } from "@/lib/server/data/lookup";
import { assertUnpinned } from "@/lib/server/data/stage-pin";
import { queueBuild } from "@/lib/server/data/queue-build";
import { stackNamesOf } from "@/lib/server/data/stacks";
import type { TBuildDetailJson } from "@/lib/core/contracts";
import type { TPlanWarning } from "@/lib/core/planner";
import type { TActor, TAppRef } from "@/lib/server/context";

// A deploy build from a manifest: every template is analyzed for this stage (a malformed one is
// refused with its line), the build is planned from these artifacts in memory, and only an accepted
// build stores them (content-addressed) with its services, in the transaction that queues it.

export interface TDeployOptions {
  app: TAppRef;
  stage: string;
  input: z.output<typeof ZDeployBody>;
  actor: TActor;
}

export async function deploy({ app, stage, input, actor }: TDeployOptions): Promise<TBuildDetailJson> {
  const st = await getStageOf(app, stage);
  assertUnpinned(st, app.name, "deploy", input.force);
  const at = await stageTarget(st);
  const stageParameters = (st.parameters ?? {}) as Record<string, Record<string, string>>;
  const stackOf = await stackNamesOf(
    db,
    st,
    input.services.map((s) => s.name),
  );
  const seen = new Set<string>();
  const warnings: TPlanWarning[] = [];
  const artifacts = input.services.map((svc, i) => {
    if (seen.has(svc.name)) throw new AppError("bad_request", `services[${i}].name: ${svc.name} is listed twice.`);
    seen.add(svc.name);
    const dependsOn = [...new Set(svc.dependsOn ?? [])].sort();
    if (dependsOn.includes(svc.name)) throw new AppError("bad_request", `services[${i}].dependsOn: ${svc.name} cannot depend on itself.`);
    const template = templateText(svc.template);
    const bytes = deployedTemplateBytes(template, st.name);
    if (st.driver === "cloudformation" && bytes > MAX_INLINE_TEMPLATE_BYTES && !st.templateBucket) {
      throw new AppError("bad_request", inlineTooLargeMessage(`services[${i}].template (${svc.name})`, bytes, st.name));
    }
    // the stage's own values for the service win over the manifest's; the rest take their Defaults
    const given = { ...(svc.parameters ?? {}), ...(stageParameters[svc.name] ?? {}) };
    let analysis;
    try {
      analysis = analyzeFor(at, svc.name, stackOf[svc.name]!, template, given);
    } catch (e) {
      if (e instanceof TemplateError) throw new AppError("bad_request", `services[${i}].template: ${e.message}`);
      throw e;
    }
    const { parameters, noEchoParameters: noEcho } = analysis;
    for (const w of analysis.warnings)
      warnings.push({ code: `template-${w.code}`, message: `${svc.name}: ${w.message}`, services: [svc.name] });
    return {
      digest: artifactDigest(svc.name, dependsOn, template, parameters),
      service: svc.name,
      template,
      dependsOn,
      parameters,
      noEcho,
    };
  });
  const target = Object.fromEntries(artifacts.map((a) => [a.service, a.digest]));
  return queueBuild({
    stage: st,
    kind: "deploy",
    target,
    artifacts,
    commit: input.commit,
    triggeredBy: actor.label,
    warnings,
    force: input.force ?? false,
  });
}
