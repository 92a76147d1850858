import "server-only";
import { db } from "@/lib/server/db";
import { seal, SecretKeyError, unseal } from "./secret-box";

// Checked when a web or worker process starts: the database keeps a value sealed with the key that
// sealed its secrets, so a wrong key is found at once rather than at the first webhook.

const CHECK = "secret_key_check";
const PLAINTEXT = "sprout-secret-key-check";

/** null when all is well (or nothing is sealed yet and no key is set); else what is wrong and what to do. */
export async function secretKeyProblem(): Promise<string | null> {
  const row = await db.setting.findUnique({ where: { key: CHECK } });
  if (!process.env.SPROUT_SECRET_KEY) {
    return row
      ? "SPROUT_SECRET_KEY is not set, but this database holds secrets sealed with a key: set SPROUT_SECRET_KEY to that key."
      : null;
  }
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
