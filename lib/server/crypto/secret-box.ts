import "server-only";
import crypto from "node:crypto";
import { AppError } from "@/lib/core/errors";

// Secrets at rest (webhook secrets, secret stage variables) are sealed with AES-256-GCM under a key
// that never enters the database: SPROUT_SECRET_KEY (32 bytes, as 64 hex digits or base64). `npm
// start` on the embedded default generates one into .data/secret-key (mode 600). A sealed value names
// its key by fingerprint, so that during a rotation SPROUT_SECRET_KEY_PREVIOUS still opens old values.

const VERSION = "v1";

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretKeyError";
  }
}

function parseKey(name: string, raw: string): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) {
    throw new SecretKeyError(
      `${name} must be 32 random bytes, as 64 hex digits or base64 (e.g. \`openssl rand -hex 32\`); it is ${key.length} bytes.`,
    );
  }
  return key;
}

const fingerprint = (key: Buffer) => crypto.createHash("sha256").update(key).digest("hex").slice(0, 8);

/** The keys that open sealed values: the current one first, then the previous one during a rotation. */
function keys(): { current: Buffer; all: Map<string, Buffer> } {
  const raw = process.env.SPROUT_SECRET_KEY;
  if (!raw) {
    throw new SecretKeyError(
      "SPROUT_SECRET_KEY is not set: Sprout needs it to keep webhook secrets, secret variables and notification secrets. Set it to 32 random bytes (`openssl rand -hex 32`), the same on every web and worker process, and restart them.",
    );
  }
  const current = parseKey("SPROUT_SECRET_KEY", raw);
  const all = new Map([[fingerprint(current), current]]);
  const previous = process.env.SPROUT_SECRET_KEY_PREVIOUS;
  if (previous) {
    const key = parseKey("SPROUT_SECRET_KEY_PREVIOUS", previous);
    all.set(fingerprint(key), key);
  }
  return { current, all };
}

/** null when SPROUT_SECRET_KEY (and _PREVIOUS, if set) can seal and open; else what is wrong and what to do. */
export function secretKeyConfigProblem(): string | null {
  try {
    keys();
    return null;
  } catch (e) {
    if (e instanceof SecretKeyError) return e.message;
    throw e;
  }
}

/**
 * Refuses an operation that must seal a secret while the key is missing or malformed: a 503 that
 * says what to set, rather than a generic 500 from deep inside it.
 */
export function requireSecretKey(): void {
  const problem = secretKeyConfigProblem();
  if (problem) throw new AppError("unavailable", problem);
}

export function seal(plaintext: string): string {
  requireSecretKey();
  const { current } = keys();
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", current, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, fingerprint(current), iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(":");
}

export function unseal(sealed: string): string {
  const [version, print, iv, tag, body] = sealed.split(":");
  if (version !== VERSION || !print || !iv || !tag || body === undefined) throw new SecretKeyError("A sealed secret is damaged.");
  const key = keys().all.get(print);
  if (!key) {
    throw new SecretKeyError(
      `A secret was sealed with another key (fingerprint ${print}) than SPROUT_SECRET_KEY: set the key it was sealed with, or it as SPROUT_SECRET_KEY_PREVIOUS while rotating.`,
    );
  }
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretKeyError("A sealed secret does not open with its key: it was altered.");
  }
}

/** Whether a sealed value was sealed with the current key (a rotation re-seals the others). */
export function sealedWithCurrentKey(sealed: string): boolean {
  return sealed.split(":")[1] === fingerprint(keys().current);
}
