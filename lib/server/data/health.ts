import "server-only";
import { db } from "@/lib/server/db";
import { freshWithin } from "@/lib/core/workers";
import { liveWorkers } from "@/lib/server/data/instance-settings";

// GET /api/health, for load balancers and monitors: no credentials asked, nothing secret told.
// Healthy when the database answers and at least one worker's heartbeat is fresh.

const DB_TIMEOUT_MS = 2_000;

export interface THealth {
  ok: boolean;
  database: { ok: boolean; ms: number | null; error?: string };
  workers: { ok: boolean; live: number; newestHeartbeatSecondsAgo: number | null; error?: string };
}

const timeout = (ms: number) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref());

export async function health(): Promise<THealth> {
  const t0 = performance.now();
  const database: THealth["database"] = { ok: false, ms: null };
  const workers: THealth["workers"] = { ok: false, live: 0, newestHeartbeatSecondsAgo: null };
  try {
    const pool = await Promise.race([db.$queryRaw`SELECT 1`.then(() => liveWorkers()), timeout(DB_TIMEOUT_MS)]);
    database.ok = true;
    database.ms = Math.round(performance.now() - t0);
    workers.live = pool.count;
    workers.newestHeartbeatSecondsAgo = pool.newestAgeMs === null ? null : Math.round(pool.newestAgeMs / 100) / 10;
    workers.ok = pool.count > 0;
    if (!workers.ok) {
      workers.error =
        pool.newestAgeMs === null
          ? "No worker has ever reported: start one with `npm run worker`."
          : `No live worker: the last one beat or stopped ${workers.newestHeartbeatSecondsAgo} s ago (a worker counts until it misses ${freshWithin(1)} heartbeats).`;
    }
  } catch (e) {
    // the reason in general words only: a driver's message may name hosts and users
    database.error =
      (e as Error).message === "timeout"
        ? `The database did not answer within ${DB_TIMEOUT_MS / 1000} s.`
        : "The database cannot be reached.";
    workers.error = "Unknown: the database cannot be read.";
  }
  return { ok: database.ok && workers.ok, database, workers };
}
