import "server-only";
import { Registry } from "prom-client";
import { db } from "@/lib/server/db";
import { liveWorkers } from "@/lib/server/data/instance-settings";
import { liveStats } from "@/lib/server/live/stats";
import { readCounts, type TCount } from "./counts";
import { notificationDeliveries, type TSample } from "./hooks";

// GET /api/metrics, in Prometheus' text format (prom-client's registry formats it). What the
// database knows is the same from every web process: builds by status, queue depth per stage, step
// durations by driver and action, failed job attempts, jobs by task and state, live workers. What a
// process knows alone is its own: its event streams and its LISTEN reconnects (scrape every web
// process; Prometheus labels each with its instance).

/** the step histogram's bucket bounds in seconds: as the steps_runs trigger of the migrations counts them */
const STEP_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];
const BUILD_STATUSES = ["queued", "running", "success", "failed", "canceled", "skipped", "awaiting_approval", "rejected"];

type TValue = { labels?: Record<string, string | number>; value: number; metricName?: string };
type TType = "gauge" | "counter" | "histogram";

/** A metric whose values are read when scraped: what prom-client's registry asks of a metric. */
function metric(name: string, help: string, type: TType, values: TValue[]) {
  return { name, help, type, get: async () => ({ name, help, type, values, aggregator: "sum" as const }) };
}

function stepHistogram(counts: TCount[]): TValue[] {
  const name = "sprout_step_duration_seconds";
  const series = new Map<string, { buckets: number[]; sum: number; count: number }>();
  const of = (key: string) => {
    let s = series.get(key);
    if (!s) series.set(key, (s = { buckets: STEP_BUCKETS.map(() => 0).concat(0), sum: 0, count: 0 }));
    return s;
  };
  for (const c of counts) {
    if (c.name === "step_seconds_bucket") {
      const [driver, action, le] = c.labels.split(",");
      const i = le === "+Inf" ? STEP_BUCKETS.length : STEP_BUCKETS.indexOf(Number(le));
      if (i >= 0) of(`${driver},${action}`).buckets[i]! += c.value;
    } else if (c.name === "step_seconds_sum") of(c.labels).sum += c.value;
    else if (c.name === "step_seconds_count") of(c.labels).count += c.value;
  }
  const values: TValue[] = [];
  for (const [key, s] of series) {
    const [driver, action] = key.split(",");
    let cumulative = 0;
    s.buckets.forEach((n, i) => {
      cumulative += n;
      const le = i < STEP_BUCKETS.length ? String(STEP_BUCKETS[i]) : "+Inf";
      values.push({ metricName: `${name}_bucket`, labels: { driver: driver!, action: action!, le }, value: cumulative });
    });
    values.push({ metricName: `${name}_sum`, labels: { driver: driver!, action: action! }, value: s.sum });
    values.push({ metricName: `${name}_count`, labels: { driver: driver!, action: action! }, value: s.count });
  }
  return values;
}

export async function collectMetrics(): Promise<{ text: string; contentType: string }> {
  const [counts, queued, jobs, workers, deliveries] = await Promise.all([
    readCounts(),
    db.$queryRaw<{ app: string; stage: string; n: number }[]>`
      SELECT a.name AS app, st.name AS stage, count(*)::int AS n FROM builds b
      JOIN stages st ON st.id = b.stage_id JOIN apps a ON a.id = st.app_id
      WHERE b.status = 'queued' GROUP BY a.name, st.name ORDER BY 1, 2`,
    db.$queryRaw<{ task: string; state: string; n: number }[]>`
      SELECT task_identifier AS task,
        CASE WHEN locked_at IS NOT NULL THEN 'running' WHEN attempts >= max_attempts THEN 'failed'
             WHEN attempts > 0 THEN 'retrying' ELSE 'waiting' END AS state,
        count(*)::int AS n
      FROM graphile_worker.jobs GROUP BY 1, 2 ORDER BY 1, 2`,
    liveWorkers(),
    notificationDeliveries(),
  ]);
  const byStatus = new Map(counts.filter((c) => c.name === "builds").map((c) => [c.labels, c.value]));
  const samples = (list: TSample[]) => list.map((s) => ({ labels: s.labels, value: s.value }));

  const registry = new Registry();
  for (const m of [
    metric(
      "sprout_builds",
      "Builds by status, all stages.",
      "gauge",
      BUILD_STATUSES.map((status) => ({ labels: { status }, value: byStatus.get(status) ?? 0 })),
    ),
    metric(
      "sprout_queue_depth",
      "Queued builds per stage (stages with none are left out).",
      "gauge",
      queued.map((q) => ({ labels: { app: q.app, stage: q.stage }, value: q.n })),
    ),
    metric(
      "sprout_step_duration_seconds",
      "How long steps ran, by their stage's driver and their action.",
      "histogram",
      stepHistogram(counts),
    ),
    metric(
      "sprout_job_failures_total",
      "Failed job attempts by task (a build waiting for its stage is not one).",
      "counter",
      counts.filter((c) => c.name === "job_failures").map((c) => ({ labels: { task: c.labels }, value: c.value })),
    ),
    metric(
      "sprout_jobs",
      "Jobs in graphile-worker's queue by task and state.",
      "gauge",
      jobs.map((j) => ({ labels: { task: j.task, state: j.state }, value: j.n })),
    ),
    metric("sprout_workers", "Workers whose heartbeat is fresh.", "gauge", [{ value: workers.count }]),
    metric("sprout_worker_slots", "Builds the live workers run at once, together.", "gauge", [{ value: workers.slots }]),
    metric("sprout_notification_deliveries", "Notification deliveries stored, by what the table records.", "gauge", samples(deliveries)),
    metric("sprout_sse_clients", "Event streams open on this web process.", "gauge", [{ value: liveStats.sseClients }]),
    metric("sprout_listen_connections", "LISTEN connections this web process holds (one while anybody watches).", "gauge", [
      { value: liveStats.listening },
    ]),
    metric("sprout_listen_reconnects_total", "Times this web process made its LISTEN connection again after losing it.", "counter", [
      { value: liveStats.listenReconnects },
    ]),
  ]) {
    registry.registerMetric(m as never);
  }
  return { text: await registry.metrics(), contentType: registry.contentType };
}
