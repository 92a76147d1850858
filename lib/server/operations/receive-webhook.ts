import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/server/db";
import { AppError, isUniqueViolation } from "@/lib/core/errors";
import {
  deliveryKey,
  GITHUB_HEADERS,
  GITLAB_HEADERS,
  parseGithubEvent,
  parseGitlabEvent,
  verifyGithubSignature,
  verifyGitlabToken,
  WebhookPayloadError,
  type TWebhookEvent,
} from "@/lib/core/source/webhooks";
import { getAppByName } from "@/lib/server/data/lookup";
import { queueSourceBuild } from "@/lib/server/data/queue-source-build";
import { unseal } from "@/lib/server/crypto/secret-box";
import { onPullRequest, type TPrApp } from "./pr-stages";

// A push from GitHub or GitLab. There is no session or token: the signature over the raw body (or
// GitLab's token) is the credential, checked before anything is parsed. Each delivery is stored,
// unique per app, in the transaction that queues its builds: a repeated delivery queues nothing.

export type TProvider = "github" | "gitlab";

export interface TWebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function verify(provider: TProvider, secret: string, headers: Headers, body: Uint8Array) {
  const result =
    provider === "github"
      ? verifyGithubSignature({ secret, body, signature: headers.get(GITHUB_HEADERS.signature) })
      : verifyGitlabToken({ secret, token: headers.get(GITLAB_HEADERS.token) });
  if (!result.ok) throw new AppError("unauthorized", result.reason);
}

function parse(provider: TProvider, headers: Headers, body: Uint8Array): { event: string; parsed: TWebhookEvent } {
  const event = headers.get(provider === "github" ? GITHUB_HEADERS.event : GITLAB_HEADERS.event) ?? "";
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(body));
  } catch {
    throw new AppError("bad_request", "The webhook's body is not JSON.");
  }
  try {
    return { event, parsed: provider === "github" ? parseGithubEvent(event, json) : parseGitlabEvent(event, json) };
  } catch (e) {
    if (e instanceof WebhookPayloadError) throw new AppError("bad_request", e.message);
    throw e;
  }
}

export async function receiveWebhook(input: {
  provider: TProvider;
  app: string;
  headers: Headers;
  body: Uint8Array;
}): Promise<TWebhookAnswer> {
  const app = await getAppByName(input.app);
  if (!app.repositoryUrl || !app.webhookSecret) throw new AppError("not_found", `App "${app.name}" has no repository connected.`);
  verify(input.provider, unseal(app.webhookSecret), input.headers, input.body);
  const { event, parsed } = parse(input.provider, input.headers, input.body);
  const key = deliveryKey(input.provider, (name) => input.headers.get(name));
  // GitHub always names its deliveries; a GitLab too old to send either header is still served,
  // without replay protection (a retry builds the same commit again, which a newer push supersedes)
  if (!key && input.provider === "github")
    throw new AppError("bad_request", `The ${GITHUB_HEADERS.delivery} header is missing: it names the delivery.`);
  const deliveryId = key ?? `unnamed:${randomUUID()}`;

  try {
    return await db.$transaction(async (tx) => {
      const delivery = await tx.webhookDelivery.create({
        data: { appId: app.id, provider: input.provider, deliveryId, event: event.slice(0, 100) },
      });
      const answer = await act(app, parsed, tx);
      await tx.webhookDelivery.update({ where: { id: delivery.id }, data: { outcome: answer.body as object } });
      return answer;
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const seen = await db.webhookDelivery.findUniqueOrThrow({
      where: { appId_provider_deliveryId: { appId: app.id, provider: input.provider, deliveryId } },
    });
    return {
      status: 200,
      body: { duplicate: `delivery ${deliveryId} was received before; nothing new was queued`, outcome: seen.outcome },
    };
  }
}

type TTx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

async function act(app: TPrApp, event: TWebhookEvent, tx: TTx): Promise<TWebhookAnswer> {
  if (event.kind === "ping") return { status: 200, body: { ok: true } };
  if (event.kind === "ignored") return { status: 202, body: { ignored: event.reason } };
  if (event.kind === "pull_request") return onPullRequest(app, event, tx);
  const stages = await tx.stage.findMany({
    where: { appId: app.id, branch: event.branch, autoDeploy: true, archived: false },
    orderBy: { position: "asc" },
  });
  if (!stages.length) return { status: 202, body: { ignored: `no stage of ${app.name} deploys branch ${event.branch} on push` } };
  const commit = {
    sha: event.after,
    message: event.headCommit?.message ?? `Push to ${event.branch}`,
    author: event.headCommit?.author ?? null,
    branch: event.branch,
  };
  const builds = [];
  for (const stage of stages) {
    const build = await queueSourceBuild(
      { stage, trigger: "push", request: { ref: event.after, services: null, force: false }, commit, triggeredBy: `push:${event.branch}` },
      tx,
    );
    builds.push({ stage: stage.name, number: build.number, status: build.status });
  }
  return { status: 202, body: { builds } };
}
