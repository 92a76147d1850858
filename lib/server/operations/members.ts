import "server-only";
import { z } from "zod";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { createUser, generatePassword, normalizeEmail } from "@/lib/server/auth/users";
import { getAppByName } from "@/lib/server/data/lookup";
import { recordAudit } from "@/lib/server/data/audit";
import { ROLES } from "@/lib/core/roles";
import type { TMemberJson } from "@/lib/core/contracts";

// An app's members: a user and a role. Adding an email that has no account yet creates the account
// with a generated password, answered once (the admin hands it over; the user changes it). `by` is
// who asks, as the audit names them.

export const ZMemberAdd = z.object({
  email: z.email({ error: "must be an email address" }).max(254),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` }),
  name: z.string().trim().max(100).optional(),
});
export const ZMemberPatch = z.object({ role: ZMemberAdd.shape.role }).strict();

const memberJson = (m: {
  role: TMemberJson["role"];
  createdAt: Date;
  user: { id: string; email: string; name: string; isAdmin: boolean };
}): TMemberJson => ({
  userId: m.user.id,
  email: m.user.email,
  name: m.user.name,
  role: m.role,
  instanceAdmin: m.user.isAdmin,
  since: m.createdAt.toISOString(),
});

const userSelect = { select: { id: true, email: true, name: true, isAdmin: true } } as const;

export async function listMembers(app: string): Promise<{ members: TMemberJson[] }> {
  const a = await getAppByName(app);
  const rows = await db.membership.findMany({ where: { appId: a.id }, include: { user: userSelect }, orderBy: { user: { email: "asc" } } });
  return { members: rows.map(memberJson) };
}

/** `password` is set only when this created the account: it is shown once and stored nowhere. */
export async function addMember(app: string, body: unknown, by: string): Promise<{ member: TMemberJson; password: string | null }> {
  const a = await getAppByName(app);
  const input = ZMemberAdd.parse(body);
  const email = normalizeEmail(input.email);
  const password = generatePassword();
  const { row, created } = await db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email } });
    const user = existing ?? (await createUser(tx, { email, name: input.name, password }));
    if (await tx.membership.findUnique({ where: { appId_userId: { appId: a.id, userId: user.id } } })) {
      throw new AppError("conflict", `${email} is already a member of ${app}; change their role instead.`);
    }
    const row = await tx.membership.create({ data: { appId: a.id, userId: user.id, role: input.role }, include: { user: userSelect } });
    await recordAudit(tx, {
      appId: a.id,
      actor: by,
      action: "member.add",
      target: email,
      detail: { role: input.role, accountCreated: !existing },
    });
    return { row, created: !existing };
  });
  return { member: memberJson(row), password: created ? password : null };
}

async function membership(app: string, userId: string) {
  const a = await getAppByName(app);
  const m = await db.membership.findFirst({ where: { appId: a.id, userId }, include: { user: userSelect } });
  if (!m) throw new AppError("not_found", `No member ${userId} in ${app}.`);
  return { a, m };
}

export async function updateMember(app: string, userId: string, body: unknown, by: string): Promise<{ member: TMemberJson }> {
  const { a, m } = await membership(app, userId);
  const { role } = ZMemberPatch.parse(body);
  const row = await db.$transaction(async (tx) => {
    const row = await tx.membership.update({
      where: { appId_userId: { appId: a.id, userId } },
      data: { role },
      include: { user: userSelect },
    });
    await recordAudit(tx, { appId: a.id, actor: by, action: "member.update", target: m.user.email, detail: { from: m.role, to: role } });
    return row;
  });
  return { member: memberJson(row) };
}

export async function removeMember(app: string, userId: string, by: string): Promise<{ removed: string }> {
  const { a, m } = await membership(app, userId);
  await db.$transaction(async (tx) => {
    await tx.membership.deleteMany({ where: { appId: a.id, userId } });
    await recordAudit(tx, { appId: a.id, actor: by, action: "member.remove", target: m.user.email, detail: { role: m.role } });
  });
  return { removed: m.user.email };
}
