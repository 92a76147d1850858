// Workers benchmark: builds spread over several worker processes on one database, measured in one
// run. 30 stages (10 apps x 3) each deploy a chain of 5 services of 1 s steps (each imports the one
// before): once on 1 worker, once on 3 workers with the same per-worker cap (SPROUT_WORKER_BUILDS),
// wall time from queueing to the last build's end. Then pickup: 30 one-step builds queued at once
// on 3 workers with room for all (a second round: the first warms them up), from the commit that
// queued each build to its first step running.
// Targets: 3 workers <= 0.4 x the time of 1; pickup p95 <= 150 ms.
// Run: npm run bench:workers [-- --cap 5 --keep]
// Uses TEST_DATABASE_URL's server when set, else an embedded PostgreSQL under .data/bench.
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import { service } from "@/tests/support/fixtures";
import { say, sleep, stopProcess, withBenchDatabase } from "./support";
import { ms, quantile, sec } from "./engine/client";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CAP = arg("cap", 5);
const APPS = 10;
const STAGES = 3;
const CHAIN = 5;
const STEP_SECONDS = 1;
const TARGET = { ratio: 0.4, pickupP95: 150 };
const keep = process.argv.includes("--keep");

function startWorker(url: string, builds: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/worker/main.ts"], {
    env: { ...process.env, DATABASE_URL: url, SPROUT_WORKER_BUILDS: String(builds), SPROUT_HEARTBEAT_MS: "1000", SPROUT_DB_POOL: "8" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d;
      if (out.includes("[worker] ready")) {
        child.stdout!.resume();
        resolve(child);
      }
    });
    child.once("exit", (code) => reject(new Error(`a worker exited (${code}) before it was ready:\n${out}`)));
  });
}

type TLib = Awaited<ReturnType<typeof load>>;
async function load() {
  const { db } = await import("@/lib/server/db");
  const { deploy } = await import("@/lib/server/operations/deploy");
  const { ZDeployBody } = await import("@/lib/core/validation");
  const { appRef, TEST_ACTOR } = await import("@/tests/support/context");
  return { db, deploy, ZDeployBody, appRef, TEST_ACTOR };
}

let shaN = 0;
/** Queues one build in each of APPS x STAGES new stages at once; the ids of the builds, and when each one's queueing committed. */
async function queueAll(
  lib: TLib,
  prefix: string,
  services: { name: string; template: unknown }[],
): Promise<{ ids: number[]; committedAt: Map<number, number> }> {
  for (let a = 0; a < APPS; a++) {
    await lib.db.app.create({
      data: { name: `${prefix}-${a}`, stages: { create: Array.from({ length: STAGES }, (_, s) => ({ name: `s${s}` })) } },
    });
  }
  const refs = await Promise.all(Array.from({ length: APPS }, (_, a) => lib.appRef(`${prefix}-${a}`)));
  const all = refs.flatMap((app) => Array.from({ length: STAGES }, (_, s) => ({ app, stage: `s${s}` })));
  // 4 at a time: a queueing transaction also reads outside itself, and the client has 10 connections
  const queued: { number: number }[] = [];
  const committed = new Map<string, number>();
  const next = async (): Promise<void> => {
    const one = all.shift();
    if (!one) return;
    const commit = { sha: (++shaN).toString(16).padStart(40, "c"), message: prefix, author: "Bench" };
    queued.push(await lib.deploy({ ...one, input: lib.ZDeployBody.parse({ commit, services }), actor: lib.TEST_ACTOR }));
    committed.set(`${one.app.name}/${one.stage}`, Date.now());
    return next();
  };
  await Promise.all(Array.from({ length: 4 }, next));
  const rows = await lib.db.build.findMany({
    where: { stage: { app: { name: { startsWith: `${prefix}-` } } }, number: { in: [...new Set(queued.map((q) => q.number))] } },
    select: { id: true, stage: { select: { name: true, app: { select: { name: true } } } } },
  });
  const ids = rows.map((r) => r.id);
  return { ids, committedAt: new Map(rows.map((r) => [r.id, committed.get(`${r.stage.app.name}/${r.stage.name}`)!])) };
}

async function waitAll(lib: TLib, ids: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await lib.db.build.count({ where: { id: { in: ids }, status: { in: ["queued", "running"] } } });
    if (!open) break;
    if (Date.now() > deadline) throw new Error(`${open} builds still open after ${timeoutMs / 1000} s`);
    await sleep(50);
  }
  const bad = await lib.db.build.findMany({
    where: { id: { in: ids }, status: { not: "success" } },
    select: { status: true, error: true },
  });
  if (bad.length) throw new Error(`${bad.length} builds did not succeed: ${JSON.stringify(bad[0])}`);
}

const chain = Array.from({ length: CHAIN }, (_, i) => ({
  name: `svc${i}`,
  template: service({ seconds: STEP_SECONDS, exports: [`Svc${i}-\${stage}`], imports: i ? [`Svc${i - 1}-\${stage}`] : [] }),
}));

async function wallTime(lib: TLib, url: string, prefix: string, workers: number): Promise<number> {
  const procs = await Promise.all(Array.from({ length: workers }, () => startWorker(url, CAP)));
  try {
    await sleep(1500); // every worker's heartbeat is in: the per-app cap reads the whole pool
    const t0 = performance.now();
    const { ids } = await queueAll(lib, prefix, chain);
    await waitAll(lib, ids, 300_000);
    return performance.now() - t0;
  } finally {
    await Promise.all(procs.map((p) => stopProcess(p, 10_000)));
  }
}

type TPick = { ms: number; claim: number; committed: number };
async function pickup(lib: TLib, url: string): Promise<TPick[]> {
  const procs = await Promise.all(Array.from({ length: 3 }, () => startWorker(url, 10)));
  try {
    await sleep(1500);
    // a first round warms the workers' code paths up (a worker that ran builds before is what picks them up)
    await waitAll(lib, (await queueAll(lib, "warmup", [{ name: "api", template: service({ seconds: 0.2 }) }])).ids, 60_000);
    const { ids, committedAt } = await queueAll(lib, "pickup", [{ name: "api", template: service({ seconds: 0.2 }) }]);
    await waitAll(lib, ids, 60_000);
    // the timestamps are UTC (Prisma writes them so, and the server runs in UTC)
    const rows = await lib.db.$queryRaw<{ id: number; step: number; claimed: number }[]>`
      SELECT b.id, (extract(epoch FROM min(s.started_at)) * 1000)::float8 AS step, (extract(epoch FROM b.started_at) * 1000)::float8 AS claimed
      FROM builds b JOIN steps s ON s.build_id = b.id WHERE b.id = ANY(${ids}) GROUP BY b.id, b.started_at`;
    return rows.map((r) => {
      const committed = committedAt.get(r.id)!;
      return { ms: r.step - committed, claim: r.claimed - committed, committed };
    });
  } finally {
    await Promise.all(procs.map((p) => stopProcess(p, 10_000)));
  }
}

async function bench(url: string): Promise<boolean> {
  process.env.DATABASE_URL = url;
  const lib = await load();
  try {
    const onlyPickup = process.argv.includes("--pickup");
    say(`1 worker, ${APPS * STAGES} stages x ${CHAIN}-service chains of ${STEP_SECONDS} s steps, SPROUT_WORKER_BUILDS=${CAP} …`);
    const one = onlyPickup ? 1 : await wallTime(lib, url, "one", 1);
    say(`1 worker: ${sec(one)}; now 3 workers …`);
    const three = onlyPickup ? 0 : await wallTime(lib, url, "three", 3);
    say(`3 workers: ${sec(three)}; now pickup …`);
    const detail = await pickup(lib, url);
    const picks = detail.map((p) => p.ms);
    const spread = Math.max(...detail.map((p) => p.committed)) - Math.min(...detail.map((p) => p.committed));
    const ratio = three / one;
    const p95 = quantile(picks, 0.95);
    const ideal = (n: number) => Math.ceil((APPS * STAGES) / (n * CAP)) * CHAIN * STEP_SECONDS;
    console.log(`\nbench: workers (${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)})`);
    console.log(
      `wall time, ${APPS * STAGES} builds        1 worker ${sec(one)}  3 workers ${sec(three)}  ratio ${ratio.toFixed(2)}   (target <= ${TARGET.ratio})  ${ratio <= TARGET.ratio ? "ok" : "MISSED"}`,
    );
    console.log(
      `  steps alone would take ${ideal(1)} s and ${ideal(3)} s (${CHAIN} steps of ${STEP_SECONDS} s per build, ${CAP} builds per worker)`,
    );
    console.log(
      `pickup, 30 queued at once     median ${ms(quantile(picks, 0.5))}  p95 ${ms(p95)}  max ${ms(Math.max(...picks))}   (target p95 <= ${TARGET.pickupP95} ms)  ${p95 <= TARGET.pickupP95 ? "ok" : "MISSED"}`,
    );
    console.log(
      `  pickup: from the commit of a build's queueing to its first step running; 3 workers x 10 builds, measured on a second round of 30 (the first warms the workers up); queued within ${ms(spread)}; ` +
        `committed -> claimed median ${ms(
          quantile(
            detail.map((p) => p.claim),
            0.5,
          ),
        )} p95 ${ms(
          quantile(
            detail.map((p) => p.claim),
            0.95,
          ),
        )}`,
    );
    return ratio <= TARGET.ratio && p95 <= TARGET.pickupP95;
  } finally {
    await lib.db.$disconnect();
  }
}

withBenchDatabase("sprout_bench_workers", keep, bench).then(
  (ok) => process.exit(ok ? 0 : 1),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
