import "server-only";
import type { TRelease } from "@/lib/core/domain";
import { getBuildRow } from "@/lib/server/data/lookup";
import { queueBuild } from "@/lib/server/data/queue-build";
import { assertUnpinned } from "@/lib/server/data/stage-pin";
import type { TBuildDetailJson } from "@/lib/core/contracts";
import type { TActor, TAppRef } from "@/lib/server/context";

/** Queues a new deploy of the artifacts of build #N (its manifest), with no rebuild; `force` into a pinned stage unpins it. */
export async function redeploy({
  app,
  stage,
  number,
  actor,
  force = false,
}: {
  app: TAppRef;
  stage: string;
  number: number;
  actor: TActor;
  force?: boolean;
}): Promise<TBuildDetailJson> {
  const { stage: st, build } = await getBuildRow(app, stage, number);
  assertUnpinned(st, app.name, "redeploy", force);
  return queueBuild({
    stage: st,
    kind: "deploy",
    target: build.target as TRelease,
    commit: { sha: build.commitSha, message: build.commitMessage, author: build.commitAuthor, branch: build.commitBranch },
    triggeredBy: actor.label,
    redeployOf: build.number,
    force,
  });
}
