import "server-only";
import { artifactDigest, stackName, templateText } from "@/lib/core/artifacts";
import { AppError } from "@/lib/core/errors";
import { analyzeTemplate, TemplateError } from "@/lib/core/templates";
import type { z } from "zod";
import type { ZDeployBody } from "@/lib/core/validation";
import { getStageOf } from "@/lib/server/data/lookup";
import { queueBuild } from "@/lib/server/data/queue-build";
import type { TBuildDetailJson } from "@/lib/core/contracts";
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
  const seen = new Set<string>();
  const artifacts = input.services.map((svc, i) => {
    if (seen.has(svc.name)) throw new AppError("bad_request", `services[${i}].name: ${svc.name} is listed twice.`);
    seen.add(svc.name);
    const dependsOn = [...new Set(svc.dependsOn ?? [])].sort();
    if (dependsOn.includes(svc.name)) throw new AppError("bad_request", `services[${i}].dependsOn: ${svc.name} cannot depend on itself.`);
    const template = templateText(svc.template);
    try {
      analyzeTemplate(template, { stage: st.name, stackName: stackName(svc.name, st.name) });
    } catch (e) {
      if (e instanceof TemplateError) throw new AppError("bad_request", `services[${i}].template (${svc.name}): ${e.message}`);
      throw e;
    }
    return { digest: artifactDigest(svc.name, dependsOn, template), service: svc.name, template, dependsOn };
  });
  const target = Object.fromEntries(artifacts.map((a) => [a.service, a.digest]));
  return queueBuild({
    stage: st,
    kind: "deploy",
    target,
    artifacts,
    commit: input.commit,
    triggeredBy: actor.label,
  });
}
