import "server-only";
import type { Prisma, Stage } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import type { TWebhookEvent } from "@/lib/core/source/webhooks";
import { recordAudit } from "@/lib/server/data/audit";
import { queueBuild } from "@/lib/server/data/queue-build";
import { queueSourceBuild, supersede } from "@/lib/server/data/queue-source-build";

// Pull-request stages: a pull request opened, reopened or pushed to builds stage pr-{number}, made
// from the app's template stage (its settings and variables; the PR's head branch; no autoDeploy,
// so a push to that branch does not build it twice); closed, it queues a `remove` build that
// deletes every service's stack, consumers first, after which the stage is archived: out of the
// pipeline, its history kept (also when PR stages were turned off since). Runs in the webhook's
// transaction, under the app row's lock, so that two deliveries decide the limit and the stage one
// at a time.

type TTx = Prisma.TransactionClient;
type TPullRequest = Extract<TWebhookEvent, { kind: "pull_request" }>;
export type TPrApp = { id: number; name: string; prStagesEnabled: boolean; prTemplateStage: string; prStageLimit: number };

export const prStageName = (n: number) => `pr-${n}`;
const MAX_TITLE = 300;

export async function onPullRequest(app: TPrApp, pr: TPullRequest, tx: TTx): Promise<{ status: number; body: Record<string, unknown> }> {
  const name = prStageName(pr.number);
  const off = {
    status: 202,
    body: { ignored: `pull request #${pr.number}: ${app.name} has no PR stages (turn them on in the app's settings: prStages.enabled)` },
  };
  // closed is heard whatever the setting: a stage made while PR stages were on must not outlive its pull request
  if (!app.prStagesEnabled && pr.action !== "closed") return off;
  // NO KEY UPDATE: the delivery row this transaction inserted holds a KEY SHARE lock on the app row already
  await tx.$queryRaw`SELECT id FROM apps WHERE id = ${app.id} FOR NO KEY UPDATE`;
  const existing = await tx.stage.findUnique({ where: { appId_name: { appId: app.id, name } } });
  if (!app.prStagesEnabled && (!existing || existing.prNumber === null || existing.archived)) return off;
  if (existing && existing.prNumber === null)
    throw new AppError(
      "conflict",
      `${app.name} has a stage named ${name} that is not a pull request's: rename it to let pull request #${pr.number} have its stage.`,
    );
  if (pr.action === "closed") return close(app, pr, existing, tx);

  const { stage, created } = await openStage(app, pr, existing, tx);
  const build = await queueSourceBuild(
    {
      stage,
      trigger: "push",
      request: { ref: pr.headSha, services: null, force: false, fetchRef: pr.fetchRef },
      commit: { sha: pr.headSha, message: pr.title.slice(0, MAX_TITLE) || `Pull request #${pr.number}`, author: null, branch: pr.headRef },
      triggeredBy: `pull_request:#${pr.number}`,
    },
    tx,
  );
  return { status: 202, body: { stage: { name, created }, builds: [{ stage: name, number: build.number, status: build.status }] } };
}

/** The stage of an opened, reopened or updated pull request: made, taken out of the archive, or as it is (title and branch updated). */
async function openStage(app: TPrApp, pr: TPullRequest, existing: Stage | null, tx: TTx): Promise<{ stage: Stage; created: boolean }> {
  const name = prStageName(pr.number);
  const about = { prTitle: pr.title.slice(0, MAX_TITLE), branch: pr.headRef.slice(0, 255) };
  if (existing && !existing.archived) return { stage: await tx.stage.update({ where: { id: existing.id }, data: about }), created: false };
  const open = await tx.stage.count({ where: { appId: app.id, prNumber: { not: null }, archived: false } });
  if (open >= app.prStageLimit)
    throw new AppError(
      "conflict",
      `No stage for pull request #${pr.number}: ${app.name} has ${open} open PR stages, its limit (prStages.limit = ${app.prStageLimit}). Close a pull request or raise the limit in the app's settings, then push to #${pr.number} again.`,
    );
  if (existing) {
    const stage = await tx.stage.update({ where: { id: existing.id }, data: { ...about, archived: false, archivedAt: null } });
    await recordAudit(tx, {
      appId: app.id,
      actor: `pull_request:#${pr.number}`,
      action: "stage.update",
      target: name,
      detail: { archived: { from: true, to: false } },
    });
    return { stage, created: false };
  }
  const template = await tx.stage.findUnique({
    where: { appId_name: { appId: app.id, name: app.prTemplateStage } },
    include: { variables: true },
  });
  if (!template || template.archived)
    throw new AppError(
      "conflict",
      `No stage for pull request #${pr.number}: the PR stages' template stage ${app.prTemplateStage} does not exist in ${app.name}. Set prStages.templateStage to one of its stages.`,
    );
  const last = await tx.stage.aggregate({ where: { appId: app.id }, _max: { position: true } });
  const stage = await tx.stage.create({
    data: {
      appId: app.id,
      name,
      position: (last._max.position ?? -1) + 1,
      driver: template.driver,
      region: template.region,
      endpoint: template.endpoint,
      accountId: template.accountId,
      templateBucket: template.templateBucket,
      parameters: template.parameters as Prisma.InputJsonValue,
      stackNamePattern: template.stackNamePattern,
      stepTimeoutMinutes: template.stepTimeoutMinutes,
      packageTimeoutMinutes: template.packageTimeoutMinutes,
      autoDeploy: false,
      prNumber: pr.number,
      ...about,
    },
  });
  // sealed values are copied sealed: the key is the same
  await tx.stageVariable.createMany({
    data: template.variables.map((v) => ({ stageId: stage.id, name: v.name, secret: v.secret, value: v.value, updatedBy: v.updatedBy })),
  });
  await recordAudit(tx, {
    appId: app.id,
    actor: `pull_request:#${pr.number}`,
    action: "stage.create",
    target: name,
    detail: { pullRequest: pr.number, from: template.name, variables: template.variables.map((v) => v.name) },
  });
  return { stage, created: true };
}

async function close(app: TPrApp, pr: TPullRequest, stage: Stage | null, tx: TTx) {
  const name = prStageName(pr.number);
  if (!stage || stage.archived)
    return {
      status: 202,
      body: { ignored: `pull request #${pr.number} closed: ${stage ? `stage ${name} is archived already` : "it has no stage"}` },
    };
  const removing = await tx.build.findFirst({ where: { stageId: stage.id, kind: "remove", status: { in: ["queued", "running"] } } });
  if (removing) return { status: 202, body: { ignored: `stage ${name} is being removed already by #${removing.number}` } };
  const build = await queueBuild(
    {
      stage,
      kind: "remove",
      trigger: "push",
      target: {},
      commit: {
        sha: pr.headSha,
        message: `Pull request #${pr.number} ${pr.merged ? "merged" : "closed"}: its stacks are removed`,
        branch: pr.headRef,
      },
      triggeredBy: `pull_request:#${pr.number}`,
    },
    tx,
  );
  // a build of the pull request still waiting would deploy what is being removed
  await supersede(tx, stage.id, build.number);
  return { status: 202, body: { builds: [{ stage: name, number: build.number, status: build.status }] } };
}

/** After its remove build succeeded: the stage leaves the pipeline, its history stays (in the same transaction as the build's end). */
export async function archiveStage(tx: TTx, stage: { id: number; appId: number; name: string }, actor: string): Promise<void> {
  await tx.stage.update({ where: { id: stage.id }, data: { archived: true, archivedAt: new Date() } });
  await recordAudit(tx, { appId: stage.appId, actor, action: "stage.archive", target: stage.name });
}
