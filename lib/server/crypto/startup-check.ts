import "server-only";
import { MISSING_KEY_WARNING, secretKeyProblem } from "./key-check";

/**
 * Run once when a web or worker process starts: stops it, with the reason on one line, when
 * SPROUT_SECRET_KEY cannot open this database's secrets; warns, on one line, when no key is set.
 */
export async function checkSecretKeyAtStart(prefix: string): Promise<void> {
  const problem = await secretKeyProblem();
  if (problem) {
    console.error(`${prefix} ${problem}`);
    process.exit(1);
  }
  if (!process.env.SPROUT_SECRET_KEY) console.warn(`${prefix} warning: ${MISSING_KEY_WARNING}`);
}
