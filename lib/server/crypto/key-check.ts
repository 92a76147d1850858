import "server-only";
import { db } from "@/lib/server/db";
import { seal, SecretKeyError, secretKeyConfigProblem, unseal } from "./secret-box";

// Checked when a web or worker process starts: the database keeps a value sealed with the key that
// sealed its secrets, so a wrong key is found at once rather than at the first webhook.

const CHECK = "secret_key_check";
const PLAINTEXT = "sprout-secret-key-check";

/**
 * A process starting without SPROUT_SECRET_KEY on a database with nothing sealed yet: it runs, but
 * every operation that seals is refused until the key is set. Printed once at start.
 */
export const MISSING_KEY_WARNING =
  "SPROUT_SECRET_KEY is not set: secret variables, connecting a repository, new apps from a repository and webhook notifications are refused until it is. Set it to 32 random bytes (`openssl rand -hex 32`), the same on every web and worker process.";

/** null when all is well (or nothing is sealed yet and no key is set: see MISSING_KEY_WARNING); else what is wrong and what to do. */
export async function secretKeyProblem(): Promise<string | null> {
  const row = await db.setting.findUnique({ where: { key: CHECK } });
  if (!process.env.SPROUT_SECRET_KEY) {
    return row
      ? "SPROUT_SECRET_KEY is not set, but this database holds secrets sealed with a key: set SPROUT_SECRET_KEY to that key."
      : null;
  }
  const keyProblem = secretKeyConfigProblem();
  if (keyProblem) return keyProblem;
  try {
    if (!row) {
      await db.setting.createMany({ data: [{ key: CHECK, value: seal(PLAINTEXT) }], skipDuplicates: true });
      return null;
    }
    return unseal(row.value) === PLAINTEXT ? null : "SPROUT_SECRET_KEY does not open this database's secrets.";
  } catch (e) {
    if (e instanceof SecretKeyError) return e.message;
    throw e;
  }
}
