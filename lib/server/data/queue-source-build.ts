import "server-only";
import { db, type Prisma, type Stage } from "@/lib/server/db";
import { CHECKOUT_KEY, type TBuildTrigger } from "@/lib/core/domain";
import { AppError } from "@/lib/core/errors";
import type { TBuildDetailJson } from "@/lib/core/contracts";
import { buildDetailJson, buildDetailSelect } from "@/lib/server/data/build-json";
import { recordAudit } from "@/lib/server/data/audit";
import { endBuild } from "@/lib/server/operations/end-build";
import { dequeue, enqueue, runBuildJob, runBuildJobKey } from "@/lib/server/jobs";

// Queues a source build: the worker checks the commit out, reads sprout.yml, packages the services
// that changed and only then plans the deploy, so the build starts with one step, its checkout. A
// push build also ends the push builds of the stage still waiting ("superseded by #N"): the newest
// push wins, as in Seed. Manual deploys and rollbacks are never superseded.

export interface TSourceRequest {
  /** a branch or a sha, resolved by the checkout */
  ref: string;
  /** only these services (null: every service of sprout.yml) */
  services: string[] | null;
  /** rebuild services whose files did not change */
  force: boolean;
  /** a ref the mirror's branches do not cover, fetched before the checkout: a pull request's head (refs/pull/7/head) */
  fetchRef?: string;
}

export interface TQueueSourceBuild {
  stage: Stage;
  trigger: Extract<TBuildTrigger, "push" | "manual" | "api">;
  request: TSourceRequest;
  /** what is known of the commit before the checkout (a push names it; a deploy by branch does not yet) */
  commit: { sha: string; message: string; author: string | null; branch: string | null };
  triggeredBy: string;
}

type TTx = Prisma.TransactionClient;

export async function queueSourceBuild(input: TQueueSourceBuild, within?: TTx): Promise<TBuildDetailJson> {
  if (input.stage.archived) throw archivedError(input.stage);
  const run = async (tx: TTx) => {
    // the stage row's lock hands out numbers one at a time, gap-free for committed builds
    const [{ last_build_number: number }] = await tx.$queryRaw<{ last_build_number: number }[]>`
      UPDATE stages SET last_build_number = last_build_number + 1 WHERE id = ${input.stage.id} RETURNING last_build_number`;
    if (input.trigger === "push") await supersede(tx, input.stage.id, number);
    const build = await tx.build.create({
      data: {
        stageId: input.stage.id,
        number,
        kind: "deploy",
        trigger: input.trigger,
        source: { ...input.request },
        commitSha: input.commit.sha,
        commitMessage: input.commit.message,
        commitAuthor: input.commit.author,
        commitBranch: input.commit.branch,
        triggeredBy: input.triggeredBy,
        target: {},
        steps: { create: [{ key: CHECKOUT_KEY, service: null, action: "checkout", status: "pending", phase: 1, after: [], position: 0 }] },
      },
      select: { id: true },
    });
    await enqueue(tx, runBuildJob({ id: build.id, stageId: input.stage.id }));
    await recordAudit(tx, {
      appId: input.stage.appId,
      actor: input.triggeredBy,
      action: "deploy",
      target: `${input.stage.name} #${number}`,
      detail: { ref: input.request.ref, trigger: input.trigger, ...(input.request.force ? { force: true } : {}) },
    });
    return tx.build.findUniqueOrThrow({ where: { id: build.id }, select: buildDetailSelect });
  };
  return buildDetailJson(within ? await run(within) : await db.$transaction(run));
}

/** Ends the stage's push builds still waiting to start: #`by` replaces them. */
export async function supersede(tx: TTx, stageId: number, by: number) {
  const waiting = await tx.build.findMany({
    where: { stageId, status: "queued", trigger: "push", kind: "deploy", number: { not: by } },
    select: { id: true },
  });
  for (const { id } of waiting) {
    const reason = `superseded by #${by}`;
    const ended = await endBuild(tx, {
      buildId: id,
      stageId,
      status: "skipped",
      error: null,
      from: "queued",
      extra: { supersededBy: by, skippedReason: reason },
    });
    if (!ended) continue;
    await tx.step.updateMany({ where: { buildId: id, status: "pending" }, data: { status: "skipped", error: `Skipped: ${reason}.` } });
    await dequeue(tx, runBuildJobKey(id));
  }
}

/** A closed pull request's stage builds nothing more until the pull request is reopened. */
export const archivedError = (stage: { name: string }) =>
  new AppError(
    "conflict",
    `Stage ${stage.name} is archived (its stacks were removed when its pull request closed); reopen the pull request to build it again.`,
  );
