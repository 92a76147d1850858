// Live benchmark: 1,000 SSE viewers of one running build on one web process (next start), one
// worker. Each of 20 changes is an UPDATE of the build's step in the database; the time from the
// UPDATE to each viewer's `build` event carrying it is measured. Targets: median <= 200 ms, p95 <=
// 500 ms; the web process's RSS <= 400 MB; exactly one LISTEN sprout_events, held by the web process.
// Run: npm run bench:live [-- --viewers 1000 --keep]
// Uses TEST_DATABASE_URL's server when set, else an embedded PostgreSQL under .data/bench.
import type { ChildProcess } from "node:child_process";
import os from "node:os";
import pg from "pg";
import { service } from "@/tests/support/fixtures";
import { memoryKb, processTree, say, sleep, startWeb, stopProcess, withBenchDatabase } from "./support";
import { api, commit, ctx, ms, progress, quantile, startWorkerProcess, until, type TBuild } from "./engine/client";
import { listenConnections, slowStepId, SseClient, timeChanges } from "./engine/live";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const VIEWERS = arg("viewers", 1000);
const CHANGES = 20;
const TARGET = { median: 200, p95: 500, rssMb: 400 };
const keep = process.argv.includes("--keep");

const rssMb = (root: number) => processTree(root).reduce((sum, pid) => sum + memoryKb(pid).rss, 0) / 1024;
const hwmMb = (root: number) => processTree(root).reduce((sum, pid) => sum + memoryKb(pid).hwm, 0) / 1024;

async function bench(url: string, dbName: string): Promise<boolean> {
  let web: ChildProcess | null = null;
  let worker: ChildProcess | null = null;
  const clients: SseClient[] = [];
  try {
    ctx.db = new pg.Client({ connectionString: url });
    await ctx.db.connect();
    const started = await startWeb(url, { warnStale: true });
    web = started.child;
    ctx.base = started.base;
    worker = await startWorkerProcess(url);
    const idleMb = rssMb(web.pid!);

    await api("POST", "/api/apps", { name: "live", stages: [{ name: "prod" }] });
    const { build } = await api<{ build: TBuild }>("POST", "/api/apps/live/stages/prod/builds", {
      commit: commit("one slow step"),
      services: [{ name: "slow", template: service({ seconds: 600 }) }],
    });
    await until("the build's step to run", async () => (await progress("live", build.number))?.firstStep != null, 30_000);
    const stepId = await slowStepId("live", build.number);

    const url0 = `${ctx.base}/api/apps/live/stages/prod/builds/${build.number}/events`;
    const t0 = performance.now();
    for (let i = 0; i < VIEWERS; i += 100) {
      const batch = Array.from({ length: Math.min(100, VIEWERS - i) }, () => new SseClient(url0));
      const snapshots = batch.map((c) => new Promise<void>((resolve) => (c.onBuild = () => resolve())));
      await Promise.all(batch.map((c) => c.open()));
      await Promise.race([
        Promise.all(snapshots),
        sleep(30_000).then(() => Promise.reject(new Error("snapshots did not all arrive in 30 s"))),
      ]);
      clients.push(...batch);
    }
    const connectMs = performance.now() - t0;
    say(`${VIEWERS} viewers connected with their snapshot in ${ms(connectMs)}`);
    const listens = await listenConnections(dbName, { web: web.pid!, worker: worker.pid! });

    const { latencies, perChange: lastPerChange } = await timeChanges(clients, stepId, {
      changes: CHANGES,
      timeoutMs: 20_000,
      pauseMs: 200,
    });
    const nowMb = rssMb(web.pid!);
    const peakMb = Math.max(nowMb, hwmMb(web.pid!));
    const median = quantile(latencies, 0.5);
    const p95 = quantile(latencies, 0.95);
    const rows = [
      [
        `change -> event, ${VIEWERS} viewers`,
        `median ${ms(median)}  p95 ${ms(p95)}`,
        `median <= ${TARGET.median}, p95 <= ${TARGET.p95} ms`,
        median <= TARGET.median && p95 <= TARGET.p95,
      ],
      [
        "web RSS (peak)",
        `${nowMb.toFixed(0)} MB now, ${peakMb.toFixed(0)} MB peak (${idleMb.toFixed(0)} MB before)`,
        `<= ${TARGET.rssMb} MB`,
        peakMb <= TARGET.rssMb,
      ],
      [
        "LISTEN sprout_events",
        `${listens.sprout} (held by: ${listens.where})`,
        "exactly 1, web",
        listens.sprout === 1 && listens.where === "web",
      ],
    ] as const;
    console.log(`\nbench: live (${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)})`);
    for (const [what, figures, target, ok] of rows)
      console.log(`${what.padEnd(36)}${figures.padEnd(52)}(target ${target})  ${ok ? "ok" : "MISSED"}`);
    console.log(
      `${CHANGES} changes x ${VIEWERS} viewers = ${latencies.length} pairs; the last viewer per change: median ${ms(quantile(lastPerChange, 0.5))}, max ${ms(Math.max(...lastPerChange))}; ` +
        `every LISTEN on the database: ${listens.all}`,
    );
    return rows.every((r) => r[3]);
  } finally {
    for (const c of clients) c.close();
    await ctx.db?.end().catch(() => {});
    await stopProcess(worker, 5_000);
    await stopProcess(web, 5_000);
  }
}

withBenchDatabase("sprout_bench_live", keep, bench).then(
  (ok) => process.exit(ok ? 0 : 1),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
