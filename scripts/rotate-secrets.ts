// `npm run secrets:rotate`: seals every secret in the database (webhook secrets, secret variables,
// notification secrets, the key check) again with SPROUT_SECRET_KEY, opening them with
// SPROUT_SECRET_KEY_PREVIOUS. With the embedded default (no DATABASE_URL) and no key given, it
// makes the new key itself: the one in .data/secret-key becomes the previous one, a new one
// replaces it once the database holds nothing sealed with the old. Stop Sprout first (npm start
// reads the key when it starts), or see the README for a rotation without downtime.
import { startEmbeddedPostgres } from "@/scripts/embedded-postgres";
import { ensureSecretKeyFile, newSecretKey, replaceSecretKeyFile } from "./secret-key";

const say = (line: string) => console.log(`[sprout] ${line}`);
const DATA = ".data";

async function main() {
  let stopPostgres: (() => Promise<void>) | null = null;
  let newKeyForFile: string | null = null;
  if (!process.env.DATABASE_URL) {
    const server = await startEmbeddedPostgres({ dataDir: DATA, database: "sprout", log: say });
    process.env.DATABASE_URL = server.url;
    if (server.startedHere) stopPostgres = server.stop;
    if (!process.env.SPROUT_SECRET_KEY) {
      process.env.SPROUT_SECRET_KEY_PREVIOUS = ensureSecretKeyFile(DATA);
      process.env.SPROUT_SECRET_KEY = newKeyForFile = newSecretKey();
    }
  }
  if (!process.env.SPROUT_SECRET_KEY || !process.env.SPROUT_SECRET_KEY_PREVIOUS)
    throw new Error(
      "set SPROUT_SECRET_KEY to the new key and SPROUT_SECRET_KEY_PREVIOUS to the key the secrets are sealed with now (with the embedded default and neither set, Sprout makes the new key itself).",
    );
  try {
    const { rotateSealedValues } = await import("@/lib/server/crypto/rotate");
    const { resealed, current } = await rotateSealedValues();
    const total = Object.values(resealed).reduce((a, b) => a + b, 0);
    const where = Object.entries(resealed).map(([column, n]) => `${column}: ${n}`);
    say(
      `sealed ${total} value${total === 1 ? "" : "s"} again with the new key${where.length ? ` (${where.join(", ")})` : ""}; ${current} already were.`,
    );
    if (newKeyForFile) {
      try {
        replaceSecretKeyFile(DATA, newKeyForFile);
      } catch (e) {
        // the database is sealed with the new key already: without it, nothing opens
        console.error(
          `[sprout] the secrets are sealed with the new key, but ${DATA}/secret-key could not be written (${(e as Error).message}); write this key there (mode 600): ${newKeyForFile}`,
        );
        process.exit(1);
      }
      say(`the new key is in ${DATA}/secret-key (mode 600); the old one opens nothing any more. Start Sprout again.`);
    } else say("nothing is sealed with the previous key any more: remove SPROUT_SECRET_KEY_PREVIOUS from every process and restart them.");
  } finally {
    const { db } = await import("@/lib/server/db");
    await db.$disconnect();
    await stopPostgres?.();
  }
}

main().catch((e) => {
  console.error(`[sprout] secrets:rotate failed, nothing was changed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
