import "server-only";
import { db } from "@/lib/server/db";
import { freshWithin, HEARTBEAT_MS } from "@/lib/core/workers";

// Instance-wide settings kept in the settings table (shared by every process), and the pool of
// live workers as their heartbeats tell it.

export const BUILDS_PER_APP_KEY = "builds_per_app";

type TSql = Pick<typeof db, "$queryRaw">;

/** The instance's cap on one app's builds at once; null: the default, half the pool. */
export async function buildsPerAppSetting(sql: TSql = db): Promise<number | null> {
  const rows = await sql.$queryRaw<{ value: string }[]>`SELECT value FROM settings WHERE key = ${BUILDS_PER_APP_KEY}`;
  const n = rows[0] ? Number(rows[0].value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
}

export const heartbeatMs = () => Number(process.env.SPROUT_HEARTBEAT_MS ?? HEARTBEAT_MS);

/** The live workers (heartbeat fresh, not stopped), and how long ago any worker last beat or stopped. */
export async function liveWorkers(sql: TSql = db): Promise<{ count: number; slots: number; newestAgeMs: number | null }> {
  const fresh = freshWithin(heartbeatMs());
  const [row] = await sql.$queryRaw<{ count: number; slots: number; newest_age_ms: number | null }[]>`
    SELECT count(*)::int AS count, coalesce(sum(builds), 0)::int AS slots,
      (SELECT extract(epoch FROM now() - max(coalesce(stopped_at, heartbeat_at))) * 1000 FROM workers)::float8 AS newest_age_ms
    FROM workers WHERE stopped_at IS NULL AND heartbeat_at > now() - ${fresh}::int * interval '1 millisecond'`;
  return { count: row!.count, slots: row!.slots, newestAgeMs: row!.newest_age_ms };
}
