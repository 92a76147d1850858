import "server-only";
import { z } from "zod";
import { db } from "@/lib/server/db";
import { AppError, isUniqueViolation } from "@/lib/core/errors";
import { hashToken, newTokenValue, tokenPrefix } from "@/lib/server/auth/tokens";
import { getAppByName } from "@/lib/server/data/lookup";
import { recordAudit } from "@/lib/server/data/audit";
import { ROLES, type TRole } from "@/lib/core/roles";
import type { TTokenJson } from "@/lib/core/contracts";

// An app's API tokens. The value is answered once, by create; afterwards only its prefix is known.
// `by` is who asks, as the audit names them.

export const ZTokenCreate = z.object({
  name: z
    .string()
    .trim()
    .regex(
      /^[a-z0-9][a-z0-9._-]{0,62}$/i,
      "must be 1 to 63 letters, digits, dots, dashes or underscores (it names the token in the audit)",
    ),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` }),
});

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
export async function listTokens(app: string): Promise<{ tokens: TTokenJson[] }> {
  const a = await getAppByName(app);
  const rows = await db.apiToken.findMany({
    where: { appId: a.id },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { id: "desc" }],
  });
  return { tokens: rows.map(tokenJson) };
}

/** `value` is the token itself: shown once, stored nowhere (only its sha256). */
export async function createToken(app: string, body: unknown, by: string): Promise<{ token: TTokenJson; value: string }> {
  const a = await getAppByName(app);
  const input = ZTokenCreate.parse(body);
  const value = newTokenValue();
  try {
    const row = await db.$transaction(async (tx) => {
      const row = await tx.apiToken.create({
        data: { appId: a.id, name: input.name, role: input.role, hash: hashToken(value), prefix: tokenPrefix(value), createdBy: by },
      });
      await recordAudit(tx, {
        appId: a.id,
        actor: by,
        action: "token.create",
        target: `token ${input.name}`,
        detail: { role: input.role },
      });
      return row;
    });
    return { token: tokenJson(row), value };
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError("conflict", `${app} already has an active token named "${input.name}"; revoke it or pick another name.`);
    throw e;
  }
}

export async function revokeToken(app: string, idRaw: string, by: string): Promise<{ token: TTokenJson }> {
  const a = await getAppByName(app);
  const id = /^[1-9][0-9]{0,9}$/.test(idRaw) ? Number(idRaw) : NaN;
  const token = Number.isSafeInteger(id) && id <= 2_147_483_647 ? await db.apiToken.findFirst({ where: { id, appId: a.id } }) : null;
  if (!token) throw new AppError("not_found", `Token ${idRaw} not found in ${app}.`);
  const row = await db.$transaction(async (tx) => {
    // guarded: revoking twice keeps the first time and writes one audit entry
    const { count } = await tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count) await recordAudit(tx, { appId: a.id, actor: by, action: "token.revoke", target: `token ${token.name}` });
    return tx.apiToken.findUniqueOrThrow({ where: { id } });
  });
  return { token: tokenJson(row) };
}
