import "server-only";
import type { z } from "zod";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { createUser, generatePassword, normalizeEmail } from "@/lib/server/auth/users";
import { recordAudit } from "@/lib/server/data/audit";
import type { ZMemberAdd, ZMemberPatch } from "@/lib/core/validation";
import type { TMemberJson } from "@/lib/core/contracts";
import type { TActor, TAppRef } from "@/lib/server/context";

// An app's members: a user and a role. Adding an email that has no account yet creates the account
// with a generated password, answered once (the admin hands it over; the user changes it).

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

export async function listMembers({ app }: { app: TAppRef }): Promise<{ members: TMemberJson[] }> {
  const rows = await db.membership.findMany({
    where: { appId: app.id },
    include: { user: userSelect },
    orderBy: { user: { email: "asc" } },
  });
  return { members: rows.map(memberJson) };
}

export interface TAddMemberOptions {
  app: TAppRef;
  input: z.output<typeof ZMemberAdd>;
  actor: TActor;
}

/** `password` is set only when this created the account: it is shown once and stored nowhere. */
export async function addMember({ app, input, actor }: TAddMemberOptions): Promise<{ member: TMemberJson; password: string | null }> {
  const email = normalizeEmail(input.email);
  const password = generatePassword();
  const { row, created } = await db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email } });
    const user = existing ?? (await createUser(tx, { email, name: input.name, password }));
    if (await tx.membership.findUnique({ where: { appId_userId: { appId: app.id, userId: user.id } } })) {
      throw new AppError("conflict", `${email} is already a member of ${app.name}; change their role instead.`);
    }
    const row = await tx.membership.create({ data: { appId: app.id, userId: user.id, role: input.role }, include: { user: userSelect } });
    await recordAudit(tx, {
      appId: app.id,
      actor: actor.label,
      action: "member.add",
      target: email,
      detail: { role: input.role, accountCreated: !existing },
    });
    return { row, created: !existing };
  });
  return { member: memberJson(row), password: created ? password : null };
}

async function membership(app: TAppRef, userId: string) {
  const m = await db.membership.findFirst({ where: { appId: app.id, userId }, include: { user: userSelect } });
  if (!m) throw new AppError("not_found", `No member ${userId} in ${app.name}.`);
  return m;
}

export interface TUpdateMemberOptions {
  app: TAppRef;
  userId: string;
  input: z.output<typeof ZMemberPatch>;
  actor: TActor;
}

export async function updateMember({ app, userId, input, actor }: TUpdateMemberOptions): Promise<{ member: TMemberJson }> {
  const m = await membership(app, userId);
  const row = await db.$transaction(async (tx) => {
    const row = await tx.membership.update({
      where: { appId_userId: { appId: app.id, userId } },
      data: { role: input.role },
      include: { user: userSelect },
    });
    await recordAudit(tx, {
      appId: app.id,
      actor: actor.label,
      action: "member.update",
      target: m.user.email,
      detail: { from: m.role, to: input.role },
    });
    return row;
  });
  return { member: memberJson(row) };
}

export async function removeMember({ app, userId, actor }: { app: TAppRef; userId: string; actor: TActor }): Promise<{ removed: string }> {
  const m = await membership(app, userId);
  await db.$transaction(async (tx) => {
    await tx.membership.deleteMany({ where: { appId: app.id, userId } });
    await recordAudit(tx, { appId: app.id, actor: actor.label, action: "member.remove", target: m.user.email, detail: { role: m.role } });
  });
  return { removed: m.user.email };
}
