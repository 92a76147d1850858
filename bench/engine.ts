// Engine benchmark: the real web server (next start) and ONE real worker process against a fresh
// database, driven through the HTTP API like a script would. Measures build pickup, live (SSE)
// fan-out to 100 clients, DAG scheduling of a 20-service graph and rollbacks; prints each figure
// against its target and exits non-zero when one is missed. Targets: pickup (POST -> first step
// running) median <= 300 ms; live (UPDATE -> `build` event at each of 100 SSE clients) median
// <= 200 ms, with exactly one LISTEN sprout_events connection, held by the web process; a build's
// wall time within 10% of its critical path, from the durations set in the templates and from the
// steps' observed ones (the median of 3 deploys of a 20-service graph, and of 10 rollbacks of it).
// Run: npx tsx --conditions=react-server bench/engine.ts [--keep] [--build]
// Uses TEST_DATABASE_URL's server when set, else an embedded PostgreSQL under .data/bench.
// The web server is started as bench/history.ts starts it (bench/support.ts: next start on a free
// port, next build first when .next/BUILD_ID is missing, or always with --build). The worker runs
// from source.
// The parts: bench/engine/client.ts (worker, API, database), schedule.ts (scheduling and
// rollback), live.ts (SSE fan-out, LISTEN connections).
import type { ChildProcess } from "node:child_process";
import os from "node:os";
import pg from "pg";
import { service } from "@/tests/support/fixtures";
import { say, startWeb, stopProcess, withBenchDatabase } from "./support";
import {
  api,
  commit,
  ctx,
  ms,
  quantile,
  slowest,
  startWorkerProcess,
  timedPickup,
  waitEnd,
  type TPickup,
  type TRow,
} from "./engine/client";
import { benchLive } from "./engine/live";
import { benchSchedulingAndRollback } from "./engine/schedule";

const PICKUP = { warmup: 3, runs: 30, seconds: 0.05, targetMedianMs: 300 };
const keep = process.argv.includes("--keep");
const rebuild = process.argv.includes("--build");

async function benchPickup(): Promise<TRow> {
  const app = "pickup";
  await api("POST", "/api/apps", { name: app, stages: [{ name: "prod" }] });
  const samples: TPickup[] = [];
  for (let i = 0; i < PICKUP.warmup + PICKUP.runs; i++) {
    const body = {
      commit: commit(`pickup ${i}`),
      services: [{ name: "api", template: service({ seconds: PICKUP.seconds, version: i + 1 }) }],
    };
    const r = await timedPickup(app, `/api/apps/${app}/stages/prod/builds`, body);
    await waitEnd(app, r.number);
    if (i >= PICKUP.warmup) samples.push(r);
  }
  const pick = samples.map((s) => s.pickupMs);
  const median = quantile(pick, 0.5);
  return {
    name: "pickup",
    what: "POST -> first step running",
    figures: `median ${ms(median)}  p95 ${ms(quantile(pick, 0.95))}`,
    target: `<= ${PICKUP.targetMedianMs} ms`,
    ok: median <= PICKUP.targetMedianMs,
    detail: [
      `${PICKUP.runs} runs after ${PICKUP.warmup} warm-up, 1 service, deploySeconds ${PICKUP.seconds}; split (medians): POST answered ${ms(
        quantile(
          samples.map((s) => s.answeredMs),
          0.5,
        ),
      )}, ` +
        `build created -> claimed ${ms(
          quantile(
            samples.map((s) => s.queuedToClaimMs),
            0.5,
          ),
        )}, claimed -> first step ${ms(
          quantile(
            samples.map((s) => s.claimToStepMs),
            0.5,
          ),
        )}; ${slowest(samples)}`,
    ],
  };
}

// ---------------------------------------------------------------- main

async function bench(url: string, dbName: string): Promise<boolean> {
  let web: ChildProcess | null = null;
  let worker: ChildProcess | null = null;
  try {
    ctx.db = new pg.Client({ connectionString: url });
    await ctx.db.connect();
    const version = (await ctx.db.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version.split(" ")[0]!;
    const started = await startWeb(url, { rebuild, warnStale: true });
    web = started.child;
    ctx.base = started.base;
    worker = await startWorkerProcess(url);

    say("pickup …");
    const rows: TRow[] = [await benchPickup()];
    say("scheduling and rollback …");
    const sched = await benchSchedulingAndRollback();
    say("live …");
    rows.push(...(await benchLive(dbName, { web: web.pid!, worker: worker.pid! })), ...sched);

    console.log(`\nbench: engine (${os.cpus().length} cores, PostgreSQL ${version}, sandbox driver)`);
    const pad = (s: string, n: number) => s.padEnd(n);
    const w = Math.max(...rows.map((r) => r.what.length)) + 2;
    const f = Math.max(...rows.map((r) => r.figures.length)) + 2;
    const t = Math.max(...rows.map((r) => r.target.length)) + 11;
    for (const r of rows) {
      console.log(`${pad(r.name, 9)}${pad(r.what, w)}${pad(r.figures, f)}${pad(`(target ${r.target})`, t)}${r.ok ? "ok" : "MISSED"}`);
      for (const d of r.detail ?? []) console.log(`${" ".repeat(11)}${d}`);
    }
    return rows.every((r) => r.ok);
  } finally {
    await ctx.db?.end().catch(() => {});
    await stopProcess(worker, 5_000);
    await stopProcess(web, 5_000);
  }
}

withBenchDatabase("sprout_bench_engine", keep, bench).then(
  (ok) => process.exit(ok ? 0 : 1),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
