import "server-only";
import { z } from "zod";
import { db, type Prisma } from "@/lib/server/db";
import type { TAppRef } from "@/lib/server/context";
import { PG_INT_MAX, ZIntParam } from "@/lib/core/query-params";
import type { TAuditEventJson } from "@/lib/core/contracts";

// The audit trail: one row per change to an app, written in the same transaction as the change
// where there is one (a queued build), so that no build exists without its entry.

export const AUDIT_ACTIONS = [
  "deploy",
  "rollback",
  "remove",
  "redeploy",
  "cancel",
  "promote",
  "approve",
  "reject",
  "stage.pin",
  "stage.unpin",
  "notification.create",
  "notification.delete",
  "notification.test",
  "app.create",
  "stage.create",
  "stage.update",
  "stage.refresh",
  "stage.parameters",
  "stage.archive",
  "variable.set",
  "variable.delete",
  "app.update",
  "stack.adopt",
  "repository.connect",
  "repository.secret",
  "repository.disconnect",
  "member.add",
  "member.update",
  "member.remove",
  "token.create",
  "token.revoke",
  "instance.update",
] as const;
export type TAuditAction = (typeof AUDIT_ACTIONS)[number];

export interface TAuditInput {
  appId: number | null;
  /** the actor's label: "user:jay@example.com", "token:ci-deploy" */
  actor: string;
  action: TAuditAction;
  target: string;
  detail?: Record<string, unknown>;
}

type TClient = Pick<Prisma.TransactionClient, "auditEvent">;

export async function recordAudit(client: TClient, e: TAuditInput): Promise<void> {
  await client.auditEvent.create({
    data: {
      appId: e.appId,
      actor: e.actor,
      action: e.action,
      target: e.target,
      detail: (e.detail ?? undefined) as Prisma.InputJsonValue | undefined,
    },
  });
}

export const ZAuditQuery = z.object({
  limit: ZIntParam(1, 200).default(50),
  before: ZIntParam(1, PG_INT_MAX).optional(),
});

/** GET /api/apps/{app}/audit?limit=&before=: newest first, keyset-paged by id. */
export async function listAudit({
  app,
  query = ZAuditQuery.parse({}),
}: {
  app: TAppRef;
  query?: z.output<typeof ZAuditQuery>;
}): Promise<{ events: TAuditEventJson[]; nextBefore: number | null }> {
  const { limit, before } = query;
  const rows = await db.auditEvent.findMany({
    where: { appId: app.id, ...(before ? { id: { lt: before } } : {}) },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    events: page.map((r) => ({
      id: r.id,
      actor: r.actor,
      action: r.action,
      target: r.target,
      detail: (r.detail ?? null) as Record<string, unknown> | null,
      createdAt: r.createdAt.toISOString(),
    })),
    nextBefore: rows.length > limit ? page.at(-1)!.id : null,
  };
}
