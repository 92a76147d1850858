import "server-only";
import { db } from "@/lib/server/db";
import { artifactDigest, templateText } from "@/lib/core/artifacts";
import { AppError } from "@/lib/core/errors";
import { analyzeTemplate, TemplateError } from "@/lib/core/templates";
import type { z } from "zod";
import type { ZDeployBody } from "@/lib/core/validation";
import { getStageOf } from "@/lib/server/data/lookup";
import { queueBuild } from "@/lib/server/data/queue-build";
import { stackNamesOf } from "@/lib/server/data/stacks";
import type { TBuildDetailJson } from "@/lib/core/contracts";
import type { TActor, TAppRef } from "@/lib/server/context";

// A deploy build from a manifest: every template is analyzed for this stage before anything is
// stored (a malformed one is refused with its line), artifacts are stored content-addressed, then
// the build is planned and queued.

export interface TDeployOptions {
  app: TAppRef;
  stage: string;
  input: z.output<typeof ZDeployBody>;
  actor: TActor;
}

export async function deploy({ app, stage, input, actor }: TDeployOptions): Promise<TBuildDetailJson> {
  const st = await getStageOf(app, stage);
  const stackOf = await stackNamesOf(
    db,
    st,
    input.services.map((s) => s.name),
  );
  const seen = new Set<string>();
  const artifacts = input.services.map((svc, i) => {
    if (seen.has(svc.name)) throw new AppError("bad_request", `services[${i}].name: ${svc.name} is listed twice.`);
    seen.add(svc.name);
    const dependsOn = [...new Set(svc.dependsOn ?? [])].sort();
    if (dependsOn.includes(svc.name)) throw new AppError("bad_request", `services[${i}].dependsOn: ${svc.name} cannot depend on itself.`);
    const template = templateText(svc.template);
    try {
      analyzeTemplate(template, { stage: st.name, stackName: stackOf[svc.name]! });
    } catch (e) {
      if (e instanceof TemplateError) throw new AppError("bad_request", `services[${i}].template (${svc.name}): ${e.message}`);
      throw e;
    }
    return { digest: artifactDigest(svc.name, dependsOn, template), service: svc.name, template, dependsOn };
  });
  await db.$transaction([
    db.artifact.createMany({ data: artifacts, skipDuplicates: true }),
    db.service.createMany({ data: artifacts.map((a) => ({ appId: st.appId, name: a.service })), skipDuplicates: true }),
  ]);
  const target = Object.fromEntries(artifacts.map((a) => [a.service, a.digest]));
  return queueBuild({
    stage: st,
    kind: "deploy",
    target,
    commit: input.commit,
    triggeredBy: actor.label,
  });
}
