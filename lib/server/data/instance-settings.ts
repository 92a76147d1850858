import "server-only";
import { db } from "@/lib/server/db";
import { freshWithin, HEARTBEAT_MS } from "@/lib/core/workers";

// Instance-wide settings kept in the settings table (shared by every process), and the pool of
// live workers as their heartbeats tell it.

export const BUILDS_PER_APP_KEY = "builds_per_app";

type TSql = Pick<typeof db, "$queryRaw" | "$queryRawUnsafe">;

/** The instance's cap on one app's builds at once; null: the default, half the pool. */
export async function buildsPerAppSetting(sql: TSql = db): Promise<number | null> {
  const rows = await sql.$queryRaw<{ value: string }[]>`SELECT value FROM settings WHERE key = ${BUILDS_PER_APP_KEY}`;
  const n = rows[0] ? Number(rows[0].value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
}

export const heartbeatMs = () => Number(process.env.SPROUT_HEARTBEAT_MS ?? HEARTBEAT_MS);

/** SQL: the worker row `w` is alive: not stopped, and its last beat is within freshWithin of its own interval. */
export const WORKER_ALIVE = `(w.stopped_at IS NULL AND w.heartbeat_at > now() - ${freshWithin(1)} * w.heartbeat_ms * interval '1 millisecond')`;

/** The live workers, and how long ago any worker last beat or stopped. */
export async function liveWorkers(sql: TSql = db): Promise<{ count: number; slots: number; newestAgeMs: number | null }> {
  const [row] = await sql.$queryRawUnsafe<{ count: number; slots: number; newest_age_ms: number | null }[]>(
    `SELECT count(*)::int AS count, coalesce(sum(builds), 0)::int AS slots,
      (SELECT extract(epoch FROM now() - max(coalesce(stopped_at, heartbeat_at))) * 1000 FROM workers)::float8 AS newest_age_ms
    FROM workers w WHERE ${WORKER_ALIVE}`,
  );
  return { count: row!.count, slots: row!.slots, newestAgeMs: row!.newest_age_ms };
}
