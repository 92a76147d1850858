import "server-only";
import os from "node:os";
import { db } from "@/lib/server/db";
import { heartbeatMs } from "@/lib/server/data/instance-settings";
import { isConnectionError } from "@/lib/server/db-retry";

// A worker's heartbeat: its row in `workers` says it is alive (GET /api/health), how many builds it
// runs at once (its share of the pool) and the id graphile-worker locks its jobs under (what builds
// and steps record as their worker). Stopping marks the row stopped, so the pool shrinks at once rather than after it goes stale.

export interface THeartbeat {
  /** graphile-worker's pool of this process started: the id it locks jobs under joins the row */
  addLockId(id: string): void;
  stop(): Promise<void>;
}

export async function startHeartbeat(workerId: string, builds: number): Promise<THeartbeat> {
  const lockIds = new Set<string>();
  let dirty = false;
  const beat = async () => {
    const ids = [...lockIds];
    dirty = false;
    await db.$executeRaw`
      INSERT INTO workers (id, hostname, pid, builds, heartbeat_ms, lock_ids)
      VALUES (${workerId}, ${os.hostname()}, ${process.pid}, ${builds}, ${heartbeatMs()}, ${ids})
      ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), builds = EXCLUDED.builds, heartbeat_ms = EXCLUDED.heartbeat_ms,
        lock_ids = EXCLUDED.lock_ids, stopped_at = NULL`;
  };
  const safeBeat = () =>
    beat().catch((e) => {
      if (!isConnectionError(e)) console.error("[worker] heartbeat failed", e);
    });
  await beat();
  const timer = setInterval(safeBeat, heartbeatMs());
  timer.unref();
  return {
    addLockId(id) {
      if (lockIds.has(id)) return;
      lockIds.add(id);
      dirty = true;
      // one write for the ids that come together
      queueMicrotask(() => {
        if (dirty) void safeBeat();
      });
    },
    async stop() {
      clearInterval(timer);
      await db.$executeRaw`UPDATE workers SET stopped_at = now() WHERE id = ${workerId}`.catch(() => {});
    },
  };
}
