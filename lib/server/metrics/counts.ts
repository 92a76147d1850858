import "server-only";
import { db } from "@/lib/server/db";

// metric_counts holds deltas (inserted by triggers and workers, never updated, so no writer waits
// on another). A read folds them into one row per series first, under an advisory lock so that
// two scrapes at once do not fold the same rows; then it sums what is there.

const FOLD_LOCK = 0x5370_7274; // "Sprt"

export type TCount = { name: string; labels: string; value: number };

export async function readCounts(): Promise<TCount[]> {
  await db
    .$transaction(async (tx) => {
      const [got] = await tx.$queryRaw<{ ok: boolean }[]>`SELECT pg_try_advisory_xact_lock(${FOLD_LOCK}) AS ok`;
      if (!got?.ok) return;
      await tx.$executeRaw`
        WITH gone AS (DELETE FROM metric_counts RETURNING name, labels, value)
        INSERT INTO metric_counts (name, labels, value) SELECT name, labels, sum(value) FROM gone GROUP BY name, labels`;
    })
    .catch((e) => console.error("[sprout] metrics: folding the counters failed", e));
  const rows = await db.$queryRaw<TCount[]>`
    SELECT name, labels, sum(value)::float8 AS value FROM metric_counts GROUP BY name, labels ORDER BY name, labels`;
  return rows;
}
