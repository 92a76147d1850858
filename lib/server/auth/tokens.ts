import "server-only";
import crypto from "node:crypto";
import { db } from "@/lib/server/db";

// API tokens: `sprout_` + 32 random bytes (base64url). Only the sha256 is stored, so a leaked
// database does not leak usable tokens; a lookup is by hash, never cached, so a revoked token
// fails on its next request.

export const TOKEN_PREFIX = "sprout_";
export const BOOTSTRAP_TOKEN_NAME = "bootstrap";

export const newTokenValue = () => TOKEN_PREFIX + crypto.randomBytes(32).toString("base64url");
export const hashToken = (value: string) => crypto.createHash("sha256").update(value, "utf8").digest("hex");
/** What the list shows to recognise a token: its first characters, never enough to use it. */
export const tokenPrefix = (value: string) => value.slice(0, TOKEN_PREFIX.length + 4);

const LAST_USED_EVERY_MS = 60_000;

export async function findActiveToken(value: string) {
  const token = await db.apiToken.findUnique({ where: { hash: hashToken(value) } });
  if (!token || token.revokedAt) return null;
  // "last used" to the minute: one write per token and minute, not one per request
  const stale = new Date(Date.now() - LAST_USED_EVERY_MS);
  void db.apiToken
    .updateMany({ where: { id: token.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: stale } }] }, data: { lastUsedAt: new Date() } })
    .catch(() => {});
  return token;
}

/**
 * SPROUT_BOOTSTRAP_TOKEN: an instance-wide admin token with exactly that value, for automation.
 * Idempotent; a new value replaces (revokes) the previous bootstrap token.
 */
export async function ensureBootstrapToken(value: string): Promise<"created" | "kept"> {
  if (value.length < 24) throw new Error("SPROUT_BOOTSTRAP_TOKEN must be at least 24 characters (e.g. `openssl rand -hex 32`).");
  const hash = hashToken(value);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('sprout:bootstrap-token'))`;
    const current = await tx.apiToken.findFirst({ where: { appId: null, name: BOOTSTRAP_TOKEN_NAME, revokedAt: null } });
    if (current?.hash === hash) return "kept";
    if (current) await tx.apiToken.update({ where: { id: current.id }, data: { revokedAt: new Date() } });
    // the same value may have been revoked by hand: give it back its place
    await tx.apiToken.deleteMany({ where: { hash } });
    await tx.apiToken.create({
      data: {
        appId: null,
        name: BOOTSTRAP_TOKEN_NAME,
        role: "admin",
        hash,
        prefix: tokenPrefix(value),
        createdBy: "SPROUT_BOOTSTRAP_TOKEN",
      },
    });
    return "created";
  });
}
