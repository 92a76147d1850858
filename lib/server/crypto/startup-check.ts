import "server-only";
import { secretKeyProblem } from "./key-check";

/** Stops the process, with the reason, when SPROUT_SECRET_KEY cannot open this database's secrets. */
export async function stopOnSecretKeyProblem(): Promise<void> {
  const problem = await secretKeyProblem();
  if (problem) {
    console.error(`[sprout] ${problem}`);
    process.exit(1);
  }
}
