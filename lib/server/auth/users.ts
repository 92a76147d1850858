import "server-only";
import crypto from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { db, type Prisma } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";

// Accounts are made here, not by sign-up: the instance's first admin (setup or the demo), and the
// members an app admin adds. Rows are better-auth's user + "credential" account, the password hashed
// with better-auth's own scrypt hasher, so that its sign-in checks them.

type TTx = Prisma.TransactionClient;

export const DEMO_ADMIN_EMAIL = "admin@sprout.local";

/** 20 characters from a 120-bit random value: typed once, then changed or kept in a password manager. */
export function generatePassword(): string {
  return crypto.randomBytes(15).toString("base64url");
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function createUser(tx: TTx, input: { email: string; name?: string; password: string; isAdmin?: boolean }) {
  const email = normalizeEmail(input.email);
  const id = crypto.randomUUID();
  const user = await tx.user.create({
    data: {
      id,
      email,
      name: input.name?.trim() || email.split("@")[0]!,
      isAdmin: input.isAdmin ?? false,
      accounts: {
        create: { id: crypto.randomUUID(), providerId: "credential", accountId: id, password: await hashPassword(input.password) },
      },
    },
  });
  return user;
}

/**
 * Runs `fn` only while the instance has no user, one caller at a time: two first visitors (or a
 * visitor and `npm start`) cannot both become the first admin.
 */
async function whileNoUser<T>(fn: (tx: TTx) => Promise<T>): Promise<T | null> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('sprout:first-admin'))`;
    if (await tx.user.count()) return null;
    return fn(tx);
  });
}

export async function hasUsers(): Promise<boolean> {
  return (await db.user.count()) > 0;
}

/** /setup: the instance admin, only while no user exists. */
export async function setupFirstAdmin(input: { email: string; name?: string; password: string }) {
  const user = await whileNoUser((tx) => createUser(tx, { ...input, isAdmin: true }));
  if (!user) throw new AppError("conflict", "Sprout already has an admin: sign in instead.");
  return user;
}

/** `npm start` with the demo: admin@sprout.local with a generated password, when no user exists. */
export async function ensureDemoAdmin(): Promise<{ email: string; password: string } | null> {
  const password = generatePassword();
  const user = await whileNoUser((tx) => createUser(tx, { email: DEMO_ADMIN_EMAIL, name: "Demo admin", password, isAdmin: true }));
  return user ? { email: user.email, password } : null;
}

/** A new generated password for `email` (an operator's recovery); signs the user out everywhere. */
export async function resetPassword(email: string): Promise<string> {
  const user = await db.user.findUnique({ where: { email: normalizeEmail(email) } });
  if (!user) throw new AppError("not_found", `No user with email ${email}.`);
  const password = generatePassword();
  const hash = await hashPassword(password);
  await db.$transaction([
    db.account.deleteMany({ where: { userId: user.id, providerId: "credential" } }),
    db.account.create({ data: { id: crypto.randomUUID(), providerId: "credential", accountId: user.id, userId: user.id, password: hash } }),
    db.session.deleteMany({ where: { userId: user.id } }),
  ]);
  return password;
}
