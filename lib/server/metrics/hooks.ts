import "server-only";
import { db } from "@/lib/server/db";

// Where metrics of features that keep their own records plug in. GET /api/metrics already exposes
// every graphile-worker job by task and state (sprout_jobs) and failed attempts by task
// (sprout_job_failures_total), a `notify` task's included.

export type TSample = { labels: Record<string, string>; value: number };

const DELIVERIES_TABLE = "notification_deliveries";
/** columns that, when the table has them, label the count (whitelisted: they are put in SQL as identifiers) */
const LABEL_COLUMNS = ["kind", "target_kind", "channel", "status", "outcome"];

/**
 * NOTIFICATION DELIVERIES HOOK: sprout_notification_deliveries{...} counts the rows of a
 * `notification_deliveries` table, by whichever of LABEL_COLUMNS it has. None until that table
 * exists; a feature that stores deliveries differently says how to count them here.
 */
export async function notificationDeliveries(): Promise<TSample[]> {
  const columns = await db.$queryRaw<{ column_name: string }[]>`
    SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${DELIVERIES_TABLE}`;
  if (!columns.length) return [];
  const labels = LABEL_COLUMNS.filter((c) => columns.some((col) => col.column_name === c));
  const select = labels.map((c) => `"${c}"::text AS "${c}"`).join(", ");
  const rows = await db.$queryRawUnsafe<Record<string, string | number>[]>(
    `SELECT ${select ? `${select}, ` : ""}count(*)::float8 AS n FROM "${DELIVERIES_TABLE}"${labels.length ? ` GROUP BY ${labels.map((_, i) => i + 1).join(", ")}` : ""}`,
  );
  return rows.map((r) => ({
    labels: Object.fromEntries(labels.map((c) => [c, String(r[c] ?? "")])),
    value: Number(r.n),
  }));
}
