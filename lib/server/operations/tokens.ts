import "server-only";
import type { z } from "zod";
import { db } from "@/lib/server/db";
import { AppError, isUniqueViolation } from "@/lib/core/errors";
import { hashToken, newTokenValue, tokenPrefix } from "@/lib/server/auth/tokens";
import { recordAudit } from "@/lib/server/data/audit";
import type { TRole } from "@/lib/core/roles";
import { PG_INT_MAX } from "@/lib/core/query-params";
import type { ZTokenCreate } from "@/lib/core/validation";
import type { TTokenJson } from "@/lib/core/contracts";
import type { TActor, TAppRef } from "@/lib/server/context";

// An app's API tokens. The value is answered once, by create; afterwards only its prefix is known.

const tokenJson = (t: {
  id: number;
  name: string;
  role: TRole;
  prefix: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}): TTokenJson => ({
  id: t.id,
  name: t.name,
  role: t.role,
  prefix: t.prefix,
  createdBy: t.createdBy,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

/** Active tokens first, then the revoked ones (kept: the audit names them). */
export async function listTokens({ app }: { app: TAppRef }): Promise<{ tokens: TTokenJson[] }> {
  const rows = await db.apiToken.findMany({
    where: { appId: app.id },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { id: "desc" }],
  });
  return { tokens: rows.map(tokenJson) };
}

/** `value` is the token itself: shown once, stored nowhere (only its sha256). */
export async function createToken({
  app,
  input,
  actor,
}: {
  app: TAppRef;
  input: z.output<typeof ZTokenCreate>;
  actor: TActor;
}): Promise<{ token: TTokenJson; value: string }> {
  const value = newTokenValue();
  try {
    const row = await db.$transaction(async (tx) => {
      const row = await tx.apiToken.create({
        data: {
          appId: app.id,
          name: input.name,
          role: input.role,
          hash: hashToken(value),
          prefix: tokenPrefix(value),
          createdBy: actor.label,
        },
      });
      await recordAudit(tx, {
        appId: app.id,
        actor: actor.label,
        action: "token.create",
        target: `token ${input.name}`,
        detail: { role: input.role },
      });
      return row;
    });
    return { token: tokenJson(row), value };
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError("conflict", `${app.name} already has an active token named "${input.name}"; revoke it or pick another name.`);
    throw e;
  }
}

export async function revokeToken({ app, id: idRaw, actor }: { app: TAppRef; id: string; actor: TActor }): Promise<{ token: TTokenJson }> {
  const id = /^[1-9][0-9]{0,9}$/.test(idRaw) && Number(idRaw) <= PG_INT_MAX ? Number(idRaw) : null;
  const token = id === null ? null : await db.apiToken.findFirst({ where: { id, appId: app.id } });
  if (!token || id === null) throw new AppError("not_found", `Token ${idRaw} not found in ${app.name}.`);
  const row = await db.$transaction(async (tx) => {
    // guarded: revoking twice keeps the first time and writes one audit entry
    const { count } = await tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count) await recordAudit(tx, { appId: app.id, actor: actor.label, action: "token.revoke", target: `token ${token.name}` });
    return tx.apiToken.findUniqueOrThrow({ where: { id } });
  });
  return { token: tokenJson(row) };
}
