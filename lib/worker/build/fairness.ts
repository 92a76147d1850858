import "server-only";
import { db } from "@/lib/server/db";
import { appFlag, buildsPerApp } from "@/lib/core/workers";
import { buildsPerAppSetting, liveWorkers } from "@/lib/server/data/instance-settings";

// One app's builds cannot take every worker slot: at most buildsPerApp of them run at once. Each
// worker skips the jobs flagged with an app at its cap (graphile-worker's forbiddenFlags, read
// before it takes a job); the claim re-checks under the app row's lock (sprout_claim_build in the
// migrations), since two workers may read the same free slot at the same moment.

/** the cap changes with the setting and the pool, slowly: read it at most this often */
const CAP_READ_MS = 1_000;
let cap: { at: number; value: Promise<number> } | null = null;

export function appCap(): Promise<number> {
  if (cap && Date.now() - cap.at < CAP_READ_MS) return cap.value;
  const value = Promise.all([buildsPerAppSetting(), liveWorkers()]).then(([setting, pool]) =>
    buildsPerApp({ setting, poolSlots: pool.slots }),
  );
  cap = { at: Date.now(), value };
  value.catch(() => (cap = null));
  return value;
}

/** The flags of the apps whose running builds reached the cap now. */
export async function appsAtCap(): Promise<string[]> {
  const cap = await appCap();
  const rows = await db.$queryRaw<{ app_id: number }[]>`
    SELECT st.app_id FROM builds b JOIN stages st ON st.id = b.stage_id
    WHERE b.status = 'running' GROUP BY st.app_id HAVING count(*) >= ${cap}`;
  return rows.map((r) => appFlag(r.app_id));
}

/** forbiddenFlags for graphile-worker: read at most every `ms`, since it runs before each job taken. */
export function cachedAppsAtCap(ms = 100): () => Promise<string[]> {
  let at = 0;
  let last: Promise<string[]> = Promise.resolve([]);
  return () => {
    if (Date.now() - at < ms) return last;
    at = Date.now();
    last = appsAtCap().catch(() => []); // a database hiccup: the claim's own check still holds
    return last;
  };
}
