import "server-only";
import os from "node:os";
import { db } from "@/lib/server/db";
import { heartbeatMs } from "@/lib/server/data/instance-settings";
import { isConnectionError } from "@/lib/server/db-retry";

// A worker's heartbeat: its row in `workers` says it is alive (GET /api/health), how many builds it
// runs at once (the pool's size) and the ids of its slots (what builds and steps record as their
// worker). Stopping marks the row stopped, so the pool shrinks at once rather than after it goes stale.

export interface THeartbeat {
  /** a slot of this worker took a job: its id joins the row at the next beat */
  addSlot(slotId: string): void;
  stop(): Promise<void>;
}

export async function startHeartbeat(workerId: string, builds: number): Promise<THeartbeat> {
  const slots = new Set<string>();
  let dirty = false;
  const beat = async () => {
    const slotIds = [...slots];
    dirty = false;
    await db.$executeRaw`
      INSERT INTO workers (id, hostname, pid, builds, slot_ids) VALUES (${workerId}, ${os.hostname()}, ${process.pid}, ${builds}, ${slotIds})
      ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), builds = EXCLUDED.builds, slot_ids = EXCLUDED.slot_ids, stopped_at = NULL`;
  };
  const safeBeat = () =>
    beat().catch((e) => {
      if (!isConnectionError(e)) console.error("[worker] heartbeat failed", e);
    });
  await beat();
  const timer = setInterval(safeBeat, heartbeatMs());
  timer.unref();
  return {
    addSlot(slotId) {
      if (slots.has(slotId)) return;
      slots.add(slotId);
      dirty = true;
      // one write for the slots that start together
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
