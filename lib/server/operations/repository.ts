import "server-only";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { parseRepositoryUrl } from "@/lib/core/source/repository-url";
import { generateWebhookSecret } from "@/lib/core/source/webhooks";
import type { TRepositoryJson } from "@/lib/core/contracts";
import { recordAudit } from "@/lib/server/data/audit";
import { seal } from "@/lib/server/crypto/secret-box";
import { openMirror } from "@/lib/server/source/mirror";
import type { TActor, TAppRef } from "@/lib/server/context";

// An app's repository. Connecting it makes a webhook secret, sealed at rest and answered once (to
// paste into GitHub or GitLab); rotating makes a new one. Git credentials are the host's own (SSH
// keys, credential helpers): a URL carrying credentials is refused, nothing of them is stored.

/** Where a host posts its webhooks: the path under the dashboard's origin. */
export const webhookPaths = (app: string) => ({ github: `/api/webhooks/github/${app}`, gitlab: `/api/webhooks/gitlab/${app}` });

export async function getRepository({ app }: { app: TAppRef }): Promise<{ repository: TRepositoryJson | null }> {
  const row = await db.app.findUniqueOrThrow({ where: { id: app.id }, select: { repositoryUrl: true } });
  return { repository: row.repositoryUrl ? { url: row.repositoryUrl, webhooks: webhookPaths(app.name) } : null };
}

export async function connectRepository({ app, url, actor }: { app: TAppRef; url: string; actor: TActor }) {
  const parsed = parseRepositoryUrl(url);
  if (!parsed.ok) throw new AppError("bad_request", `url: ${parsed.reason}`);
  const webhookSecret = generateWebhookSecret();
  const before = await db.app.findUniqueOrThrow({ where: { id: app.id }, select: { repositoryUrl: true } });
  await db.$transaction(async (tx) => {
    await tx.app.update({ where: { id: app.id }, data: { repositoryUrl: parsed.url, webhookSecret: seal(webhookSecret) } });
    await recordAudit(tx, {
      appId: app.id,
      actor: actor.label,
      action: "repository.connect",
      target: parsed.url,
      detail: before.repositoryUrl && before.repositoryUrl !== parsed.url ? { replaced: before.repositoryUrl } : {},
    });
  });
  // another URL: the old mirror's refs are not this repository's
  if (before.repositoryUrl && before.repositoryUrl !== parsed.url) await openMirror({ app: app.id, url: before.repositoryUrl }).remove();
  return { repository: { url: parsed.url, webhooks: webhookPaths(app.name) }, webhookSecret };
}

export async function rotateWebhookSecret({ app, actor }: { app: TAppRef; actor: TActor }) {
  const webhookSecret = generateWebhookSecret();
  await db.$transaction(async (tx) => {
    const { count } = await tx.app.updateMany({
      where: { id: app.id, repositoryUrl: { not: null } },
      data: { webhookSecret: seal(webhookSecret) },
    });
    if (!count) throw new AppError("conflict", `${app.name} has no repository: connect one first (PUT /api/apps/${app.name}/repository).`);
    await recordAudit(tx, { appId: app.id, actor: actor.label, action: "repository.secret", target: "webhook secret" });
  });
  return { webhookSecret };
}

export async function disconnectRepository({ app, actor }: { app: TAppRef; actor: TActor }) {
  const row = await db.app.findUniqueOrThrow({ where: { id: app.id }, select: { repositoryUrl: true } });
  if (!row.repositoryUrl) throw new AppError("conflict", `${app.name} has no repository connected.`);
  await db.$transaction(async (tx) => {
    await tx.app.update({ where: { id: app.id }, data: { repositoryUrl: null, webhookSecret: null } });
    await recordAudit(tx, { appId: app.id, actor: actor.label, action: "repository.disconnect", target: row.repositoryUrl! });
  });
  await openMirror({ app: app.id, url: row.repositoryUrl }).remove();
  return { repository: null };
}
