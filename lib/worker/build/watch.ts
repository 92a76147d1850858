import "server-only";
import { db } from "@/lib/server/db";
import { isConnectionError } from "@/lib/server/db-retry";
import type { TRunOptions } from "./types";

// While a build runs: its lease is renewed every third of it (losing it means another worker took
// the build over), and its cancel flag is read every second, so that a cancel stops the running
// steps within about a second rather than a lease period. A database outage only delays both.

export interface TWatchEvents {
  cancel(): void;
  lostLease(): void;
}

/** Starts watching; the function returned stops it. */
export function watchBuild(buildId: number, opts: TRunOptions, on: TWatchEvents): () => void {
  let stopped = false;
  let canceled = false;
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, fn: () => Promise<void>) => {
    const slot = timers.length;
    const tick = async () => {
      if (stopped) return;
      try {
        await fn();
      } catch (e) {
        if (!isConnectionError(e)) console.error(`[sprout] watching build ${buildId} failed`, e);
      }
      if (!stopped) timers[slot] = setTimeout(tick, ms);
    };
    timers[slot] = setTimeout(tick, ms);
  };
  const sawCancel = () => {
    if (canceled) return;
    canceled = true;
    on.cancel();
  };

  every(Math.max(200, Math.floor(opts.leaseMs / 3)), async () => {
    const rows = await db.$queryRaw<{ cancel_requested: boolean }[]>`
      UPDATE builds SET lease_until = now() + ${opts.leaseMs}::int * interval '1 millisecond'
      WHERE id = ${buildId} AND worker_id = ${opts.workerId} AND status = 'running' RETURNING cancel_requested`;
    if (!rows.length) {
      stopped = true;
      on.lostLease();
    } else if (rows[0]!.cancel_requested) sawCancel();
  });
  every(opts.cancelPollMs ?? 1000, async () => {
    if (canceled) return;
    const row = await db.build.findUnique({ where: { id: buildId }, select: { cancelRequested: true } });
    if (row?.cancelRequested) sawCancel();
  });

  return () => {
    stopped = true;
    for (const t of timers) clearTimeout(t);
  };
}
