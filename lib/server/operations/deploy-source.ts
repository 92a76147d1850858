import "server-only";
import type { z } from "zod";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import type { ZSourceDeploy } from "@/lib/core/validation";
import type { TBuildDetailJson } from "@/lib/core/contracts";
import { getStageOf } from "@/lib/server/data/lookup";
import { assertUnpinned } from "@/lib/server/data/stage-pin";
import { queueSourceBuild } from "@/lib/server/data/queue-source-build";
import type { TActor, TAppRef } from "@/lib/server/context";

// The Deploy button and `POST …/stages/{stage}/deploy`: a source build of a branch or commit of
// the app's repository (the stage's branch when none is given), of some services or all, rebuilding
// even what did not change when forced.

const SHA = /^[0-9a-f]{7,64}$/i;

export interface TDeploySourceOptions {
  app: TAppRef;
  stage: string;
  input: z.output<typeof ZSourceDeploy>;
  actor: TActor;
}

export async function deploySource({ app, stage, input, actor }: TDeploySourceOptions): Promise<TBuildDetailJson> {
  const st = await getStageOf(app, stage);
  // force also rebuilds what did not change (sprout.yml's services); in a pinned stage it unpins
  assertUnpinned(st, app.name, "deploy", input.force);
  const { repositoryUrl } = await db.app.findUniqueOrThrow({ where: { id: app.id }, select: { repositoryUrl: true } });
  if (!repositoryUrl) {
    throw new AppError(
      "conflict",
      `${app.name} has no repository to build from: connect one on the app's settings page (PUT /api/apps/${app.name}/repository), or POST a manifest to …/builds.`,
    );
  }
  const ref = input.ref ?? st.branch;
  if (!ref)
    throw new AppError(
      "bad_request",
      `ref: stage ${st.name} tracks no branch; name a branch or commit to deploy, or set the stage's branch.`,
    );
  return queueSourceBuild({
    stage: st,
    trigger: actor.kind === "user" ? "manual" : "api",
    request: { ref, services: input.services ?? null, force: input.force ?? false },
    commit: { sha: SHA.test(ref) ? ref.toLowerCase() : "", message: `Deploy ${ref}`, author: null, branch: SHA.test(ref) ? null : ref },
    triggeredBy: actor.label,
  });
}
