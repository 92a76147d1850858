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
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import pg from "pg";
import { service } from "@/tests/support/fixtures";
import { authHeaders, processTree, say, sleep, startWeb, stopProcess, withBenchDatabase } from "./support";

const PICKUP = { warmup: 3, runs: 30, seconds: 0.05, targetMedianMs: 300 };
const LIVE = { clients: 100, changes: 20, targetMedianMs: 200, stepSeconds: 90 };
const SCHED = { widths: [3, 5, 6, 4, 2], slack: 0.1, runs: 3 };
const ROLLBACK = { runs: 10, targetMedianMs: 300 };
const STEP_CONCURRENCY = 32;
const keep = process.argv.includes("--keep");
const rebuild = process.argv.includes("--build");

// ---------------------------------------------------------------- processes

async function startWorkerProcess(databaseUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/worker/main.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, SPROUT_STEP_CONCURRENCY: String(STEP_CONCURRENCY) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the worker did not report ready within 60 s")), 60_000);
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("[worker] ready")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`the worker exited (${code}) before it was ready:\n${out}`)));
  });
  child.stdout!.resume();
  say(`worker up (pid ${child.pid}, SPROUT_STEP_CONCURRENCY=${STEP_CONCURRENCY})`);
  return child;
}

// ---------------------------------------------------------------- API and database

type TStep = { service: string; action: string; status: string; phase: number; after: string[]; startedAt: string | null; finishedAt: string | null; error: string | null };
type TBuild = { number: number; kind: string; status: string; rollbackOf: number | null; createdAt: string; startedAt: string | null; finishedAt: string | null; error: string | null; steps: TStep[] };

let base = "";
async function api<T>(method: string, url: string, body?: unknown, ok = [200, 201]): Promise<T> {
  const res = await fetch(base + url, {
    method,
    headers: body === undefined ? authHeaders : { ...authHeaders, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!ok.includes(res.status)) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 400)}`);
  return JSON.parse(text) as T;
}

let shaCounter = 0;
const commit = (message: string) => ({ sha: (++shaCounter).toString(16).padStart(40, "b"), message, author: "Bench <bench@example.com>", branch: "main" });

let db: pg.Client;
type TProgress = { status: string; createdAt: number; startedAt: number | null; finishedAt: number | null; firstStep: number | null };
const epoch = (col: string) => `(extract(epoch from ${col}) * 1000)::float8`; // timestamp(3) is UTC

async function progress(app: string, number: number): Promise<TProgress | null> {
  const { rows } = await db.query(
    `SELECT b.status, ${epoch("b.created_at")} AS "createdAt", ${epoch("b.started_at")} AS "startedAt", ${epoch("b.finished_at")} AS "finishedAt",
            (SELECT ${epoch("min(s.started_at)")} FROM steps s WHERE s.build_id = b.id) AS "firstStep"
     FROM builds b JOIN stages st ON st.id = b.stage_id JOIN apps a ON a.id = st.app_id
     WHERE a.name = $1 AND st.name = 'prod' AND b.number = $2`,
    [app, number],
  );
  return (rows[0] as TProgress | undefined) ?? null;
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

const TERMINAL = ["success", "failed", "canceled"];
async function waitEnd(app: string, number: number, timeoutMs = 60_000): Promise<TBuild> {
  await until(`${app} build #${number} to end`, async () => {
    const p = await progress(app, number);
    return p && TERMINAL.includes(p.status);
  }, timeoutMs, 20);
  const { build } = await api<{ build: TBuild }>("GET", `/api/apps/${app}/stages/prod/builds/${number}`);
  if (build.status !== "success") throw new Error(`${app} build #${number} ended ${build.status}: ${build.error ?? ""}`);
  return build;
}

/** POSTs, then waits for the build's first step to run; times from the send, on this machine's clock. */
async function timedPickup(app: string, url: string, body: unknown): Promise<{ number: number; pickupMs: number; answeredMs: number; queuedToClaimMs: number; claimToStepMs: number }> {
  const t0 = Date.now();
  const { build } = await api<{ build: TBuild }>("POST", url, body);
  const answeredMs = Date.now() - t0;
  const p = await until(`build #${build.number}'s first step to start`, async () => {
    const p = await progress(app, build.number);
    return p?.firstStep != null ? p : null;
  }, 30_000, 5);
  return { number: build.number, pickupMs: p.firstStep! - t0, answeredMs, queuedToClaimMs: p.startedAt! - p.createdAt, claimToStepMs: p.firstStep! - p.startedAt! };
}

// ---------------------------------------------------------------- figures

type TRow = { name: string; what: string; figures: string; target: string; ok: boolean; detail?: string[] };

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
const ms = (v: number) => `${Math.round(v)} ms`;
const sec = (v: number) => `${(v / 1000).toFixed(2)} s`;

/** Longest weighted path, phase-by-phase time and serial time of a plan, `dur` in ms per service. */
function planTimes(steps: TStep[], dur: (s: TStep) => number) {
  const finish = new Map<string, number>();
  const byService = new Map(steps.map((s) => [s.service, s]));
  const finishOf = (s: TStep): number => {
    const known = finish.get(s.service);
    if (known !== undefined) return known;
    const start = Math.max(0, ...s.after.map((a) => (byService.has(a) ? finishOf(byService.get(a)!) : 0)));
    const f = start + dur(s);
    finish.set(s.service, f);
    return f;
  };
  const critical = Math.max(...steps.map(finishOf));
  const phases = new Map<number, number>();
  for (const s of steps) phases.set(s.phase, Math.max(phases.get(s.phase) ?? 0, dur(s)));
  const wave = [...phases.values()].reduce((a, b) => a + b, 0);
  const serial = steps.reduce((a, s) => a + dur(s), 0);
  return { critical, wave, serial, phases: phases.size };
}

const observed = (s: TStep) => Date.parse(s.finishedAt!) - Date.parse(s.startedAt!);
const wallOf = (b: TBuild) => Date.parse(b.finishedAt!) - Date.parse(b.startedAt!);

/** The gaps the scheduler left: for each step, from its last predecessor's end to its own start. */
function startGaps(b: TBuild): number[] {
  const byService = new Map(b.steps.map((s) => [s.service, s]));
  return b.steps.map((s) => {
    const ready = Math.max(Date.parse(b.startedAt!), ...s.after.map((a) => Date.parse(byService.get(a)!.finishedAt!)));
    return Date.parse(s.startedAt!) - ready;
  });
}

type TPickup = Awaited<ReturnType<typeof timedPickup>>;
const slowest = (samples: TPickup[]) => {
  const w = samples.reduce((a, b) => (b.pickupMs > a.pickupMs ? b : a));
  return `slowest ${ms(w.pickupMs)} (#${w.number}: answered ${ms(w.answeredMs)}, created -> claimed ${ms(w.queuedToClaimMs)}, claimed -> first step ${ms(w.claimToStepMs)})`;
};

async function benchPickup(): Promise<TRow> {
  const app = "pickup";
  await api("POST", "/api/apps", { name: app, stages: [{ name: "prod" }] });
  const samples: TPickup[] = [];
  for (let i = 0; i < PICKUP.warmup + PICKUP.runs; i++) {
    const body = { commit: commit(`pickup ${i}`), services: [{ name: "api", template: service({ seconds: PICKUP.seconds, version: i + 1 }) }] };
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
      `${PICKUP.runs} runs after ${PICKUP.warmup} warm-up, 1 service, deploySeconds ${PICKUP.seconds}; split (medians): POST answered ${ms(quantile(samples.map((s) => s.answeredMs), 0.5))}, ` +
        `build created -> claimed ${ms(quantile(samples.map((s) => s.queuedToClaimMs), 0.5))}, claimed -> first step ${ms(quantile(samples.map((s) => s.claimToStepMs), 0.5))}; ${slowest(samples)}`,
    ],
  };
}

// A 20-service graph in 5 levels of different widths: each service exports one value; a service
// imports from one or two services of the level above, some also from two levels above.
type TSvc = { name: string; imports: string[]; seconds: number };
function graph(): TSvc[] {
  const levels: string[][] = SCHED.widths.map((w, k) => Array.from({ length: w }, (_, j) => `l${k + 1}-${String.fromCharCode(97 + j)}`));
  const out: TSvc[] = [];
  let idx = 0;
  levels.forEach((names, k) => {
    names.forEach((name, j) => {
      const deps = new Set<string>();
      if (k > 0) {
        const up = levels[k - 1]!;
        deps.add(up[j % up.length]!);
        if ((j + k) % 2 === 0) deps.add(up[(j + 1) % up.length]!);
      }
      if (k > 1 && j % 3 === 0) deps.add(levels[k - 2]![(2 * j) % levels[k - 2]!.length]!);
      out.push({ name, imports: [...deps].sort(), seconds: Number((0.3 + ((idx * 7) % 13) / 10).toFixed(1)) });
      idx++;
    });
  });
  return out;
}
const exportOf = (name: string) => `${name}-out-` + "${stage}";
const manifest = (svcs: TSvc[], version: number) =>
  svcs.map((s) => ({ name: s.name, template: service({ exports: [exportOf(s.name)], imports: s.imports.map(exportOf), seconds: s.seconds, version }) }));

function schedRow(name: string, what: string, b: TBuild, seconds: Map<string, number>): TRow {
  const set = planTimes(b.steps, (s) => seconds.get(s.service)! * 1000);
  const obs = planTimes(b.steps, observed);
  const wall = wallOf(b);
  const gaps = startGaps(b);
  // The critical path from the durations set in the templates is the brief's bar; the one from the
  // steps' observed durations keeps it honest when the driver takes more or less than it was told.
  const ok = wall <= set.critical * (1 + SCHED.slack) && wall <= obs.critical * (1 + SCHED.slack);
  return {
    name,
    what,
    figures: `wall ${sec(wall)}  critical path ${sec(set.critical)}  waves ${sec(set.wave)}  serial ${sec(set.serial)}`,
    target: `wall <= ${1 + SCHED.slack} x CP, set & observed`,
    ok,
    detail: [
      `${b.steps.length} steps in ${set.phases} phases; wall/CP ${(wall / set.critical).toFixed(2)}; CP from the steps' observed durations ${sec(obs.critical)} ` +
        `(wall/CP ${(wall / obs.critical).toFixed(2)}); observed/set step time ${(b.steps.reduce((a, s) => a + observed(s), 0) / set.serial).toFixed(2)}; ` +
        `start gap after predecessors: median ${ms(quantile(gaps, 0.5))}, max ${ms(Math.max(...gaps))}`,
    ],
  };
}

/** The worse of wall/CP (durations set) and wall/CP (durations observed): what the target bounds. */
function slowness(b: TBuild, seconds: Map<string, number>): number {
  const wall = wallOf(b);
  return Math.max(wall / planTimes(b.steps, (s) => seconds.get(s.service)! * 1000).critical, wall / planTimes(b.steps, observed).critical);
}

/** The row of the median build (by slowness), with the spread over all of them. */
function medianSchedRow(name: string, what: (b: TBuild) => string, builds: TBuild[], seconds: Map<string, number>): { row: TRow; median: TBuild } {
  const ranked = [...builds].sort((x, y) => slowness(x, seconds) - slowness(y, seconds));
  const median = ranked[Math.ceil(ranked.length / 2) - 1]!;
  const row = schedRow(name, what(median), median, seconds);
  const range = (f: (b: TBuild) => number) => `${Math.min(...builds.map(f)).toFixed(2)} .. ${Math.max(...builds.map(f)).toFixed(2)}`;
  row.detail!.push(
    `median of ${builds.length} builds; over all: wall/CP ${range((b) => wallOf(b) / planTimes(b.steps, (s) => seconds.get(s.service)! * 1000).critical)}, ` +
      `wall/observed CP ${range((b) => wallOf(b) / planTimes(b.steps, observed).critical)}`,
  );
  return { row, median };
}

async function benchSchedulingAndRollback(): Promise<TRow[]> {
  const svcs = graph();
  const seconds = new Map(svcs.map((s) => [s.name, s.seconds]));
  // The same graph deployed from nothing to SCHED.runs fresh apps, each watched by one page: how
  // many snapshots it is sent, and how many of them show nothing new.
  const deploys: { app: string; build: TBuild; snapshots: number; repeats: number }[] = [];
  for (let k = 1; k <= SCHED.runs; k++) {
    const app = `graph-${k}`;
    await api("POST", "/api/apps", { name: app, stages: [{ name: "prod" }] });
    const url = `/api/apps/${app}/stages/prod/builds`;
    const { build: queued } = await api<{ build: TBuild }>("POST", url, { commit: commit("v1: all 20 services"), services: manifest(svcs, 1) });
    const watcher = new SseClient(`${base}${url}/${queued.number}/events`);
    const seen = { snapshots: 0, repeats: 0, last: "" };
    watcher.onBuild = (b) => {
      const json = JSON.stringify(b);
      seen.snapshots++;
      if (json === seen.last) seen.repeats++;
      seen.last = json;
    };
    await watcher.open();
    const build = await waitEnd(app, queued.number);
    await until("the watcher's stream to end", async () => watcher.ended, 10_000).finally(() => watcher.close());
    deploys.push({ app, build, ...seen });
  }
  const { row: sched, median: shown } = medianSchedRow("schedule", () => "20-service deploy from nothing", deploys.map((d) => d.build), seconds);
  const watched = deploys.find((d) => d.build === shown)!;
  sched.detail!.push(`a page watching it was sent ${watched.snapshots} build snapshots, ${watched.repeats} of them identical to the one before`);
  const rows = [sched];

  // Rollbacks on the first app: #2 deploys v2 of every service; then roll back to #1, forward to #2
  // (the newest successful build that is not live), and so on.
  const app = deploys[0]!.app;
  const first = deploys[0]!.build;
  const url = `/api/apps/${app}/stages/prod/builds`;
  const { build: second } = await api<{ build: TBuild }>("POST", url, { commit: commit("v2: all 20 services"), services: manifest(svcs, 2) });
  await waitEnd(app, second.number);
  const samples: TPickup[] = [];
  const builds: TBuild[] = [];
  for (let i = 0; i < ROLLBACK.runs; i++) {
    const target = i % 2 === 0 ? first.number : second.number;
    const r = await timedPickup(app, `${url}/${target}/rollback`, undefined);
    samples.push(r);
    const b = await waitEnd(app, r.number);
    if (b.kind !== "rollback" || b.rollbackOf !== target) throw new Error(`build #${b.number} is not a rollback to #${target}`);
    builds.push(b);
  }
  const pick = samples.map((s) => s.pickupMs);
  const median = quantile(pick, 0.5);
  rows.push({
    name: "rollback",
    what: "POST rollback -> first step running",
    figures: `median ${ms(median)}  p95 ${ms(quantile(pick, 0.95))}`,
    target: `<= ${ROLLBACK.targetMedianMs} ms`,
    ok: median <= ROLLBACK.targetMedianMs,
    detail: [
      `${ROLLBACK.runs} rollbacks of 20 services (to #${first.number} and #${second.number} alternately); split (medians): POST answered ${ms(quantile(samples.map((s) => s.answeredMs), 0.5))}, ` +
        `build created -> claimed ${ms(quantile(samples.map((s) => s.queuedToClaimMs), 0.5))}, claimed -> first step ${ms(quantile(samples.map((s) => s.claimToStepMs), 0.5))}; ${slowest(samples)}`,
    ],
  });
  rows.push(medianSchedRow("rollback", (b) => `20-service rollback (#${b.number}, to #${b.rollbackOf})`, builds, seconds).row);
  return rows;
}

// One SSE client: Node fetch with a streaming body; `build` events are handed to `onBuild` with
// the time their chunk arrived.
class SseClient {
  private readonly abort = new AbortController();
  builds = 0;
  onBuild: ((b: TBuild, at: number) => void) | null = null;
  ended = false;
  constructor(private readonly url: string) {}

  async open(): Promise<void> {
    const res = await fetch(this.url, { headers: { ...authHeaders, accept: "text/event-stream" }, signal: this.abort.signal });
    if (res.status !== 200 || !res.body) throw new Error(`GET ${this.url}: ${res.status}`);
    void this.read(res.body.getReader()).catch((e) => {
      if (!this.abort.signal.aborted) console.error("[bench] sse client", e);
    });
  }

  private async read(reader: ReadableStreamDefaultReader<Uint8Array>) {
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return void (this.ended = true);
      const at = performance.now();
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let event = "message";
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        if (event === "build" && data.length) {
          this.builds++;
          this.onBuild?.((JSON.parse(data.join("\n")) as { build: TBuild }).build, at);
        }
      }
    }
  }

  close() {
    this.abort.abort();
  }
}

/** Which of `owners` (name -> root pid) holds the local TCP socket on `port` (Linux /proc). */
function socketOwner(port: number, owners: Record<string, number>): string {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of (fs.existsSync(table) ? fs.readFileSync(table, "utf8") : "").split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1] && parseInt(cols[1].split(":")[1]!, 16) === port) inodes.add(cols[9]!);
    }
  }
  for (const [name, root] of Object.entries(owners)) {
    for (const pid of processTree(root)) {
      try {
        for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
          const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
          if (inodes.has(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? "")) return name;
        }
      } catch {} // exited, or not ours to read
    }
  }
  return "another process";
}

async function listenConnections(dbName: string, owners: Record<string, number>): Promise<{ sprout: number; where: string; all: string }> {
  const { rows } = await db.query<{ query: string; port: number | null }>(
    `SELECT query, client_port AS port FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN%' ORDER BY query`,
    [dbName],
  );
  const sprout = rows.filter((r) => /^LISTEN sprout_events/i.test(r.query));
  const where = sprout.map((r) => (r.port ? socketOwner(r.port, owners) : "unknown")).join(", ") || "none";
  const all = rows.map((r) => `${r.query.replace(/\s+/g, " ").trim()} (${r.port ? socketOwner(r.port, owners) : "unknown"})`).join(" | ") || "none";
  return { sprout: sprout.length, where, all };
}

async function benchLive(dbName: string, owners: Record<string, number>): Promise<TRow[]> {
  const app = "live";
  await api("POST", "/api/apps", { name: app, stages: [{ name: "prod" }] });
  const { build } = await api<{ build: TBuild }>("POST", `/api/apps/${app}/stages/prod/builds`, {
    commit: commit("one slow step"),
    services: [{ name: "slow", template: service({ seconds: LIVE.stepSeconds }) }],
  });
  await until("the live build's step to run", async () => (await progress(app, build.number))?.firstStep != null, 30_000);
  const { rows: [step] } = await db.query<{ id: number }>(
    `SELECT s.id FROM steps s JOIN builds b ON b.id = s.build_id JOIN stages st ON st.id = b.stage_id JOIN apps a ON a.id = st.app_id
     WHERE a.name = $1 AND b.number = $2 AND s.service = 'slow'`,
    [app, build.number],
  );

  const eventsUrl = `${base}/api/apps/${app}/stages/prod/builds/${build.number}/events`;
  const clients = Array.from({ length: LIVE.clients }, () => new SseClient(eventsUrl));
  const t0 = performance.now();
  const snapshots = Promise.all(clients.map((c) => new Promise<void>((resolve) => (c.onBuild = () => resolve()))));
  await Promise.all(clients.map((c) => c.open()));
  await Promise.race([snapshots, sleep(30_000).then(() => Promise.reject(new Error("not every SSE client got its first snapshot within 30 s")))]);
  const connectMs = performance.now() - t0;
  const listens = await listenConnections(dbName, owners);

  const latencies: number[] = [];
  const perChange: number[] = [];
  try {
    for (let n = 1; n <= LIVE.changes; n++) {
      const marker = `tick ${n}`;
      let sent = 0;
      const arrived = Promise.all(
        clients.map(
          (c) =>
            new Promise<void>((resolve) => {
              c.onBuild = (b, at) => {
                if (b.steps.find((s) => s.service === "slow")?.error !== marker) return;
                c.onBuild = null;
                latencies.push(at - sent);
                resolve();
              };
            }),
        ),
      );
      sent = performance.now();
      await db.query("UPDATE steps SET error = $1 WHERE id = $2", [marker, step!.id]);
      await Promise.race([arrived, sleep(10_000).then(() => Promise.reject(new Error(`change ${n} did not reach every client within 10 s`)))]);
      perChange.push(performance.now() - sent);
      await sleep(50);
    }
  } finally {
    for (const c of clients) c.close();
  }
  const events = clients.reduce((a, c) => a + c.builds, 0) / clients.length;
  const median = quantile(latencies, 0.5);
  return [
    {
      name: "live",
      what: `UPDATE -> build event, ${LIVE.clients} SSE clients`,
      figures: `median ${ms(median)}  p95 ${ms(quantile(latencies, 0.95))}`,
      target: `<= ${LIVE.targetMedianMs} ms`,
      ok: median <= LIVE.targetMedianMs,
      detail: [
        `${LIVE.changes} changes x ${LIVE.clients} clients = ${latencies.length} pairs; last client per change: median ${ms(quantile(perChange, 0.5))}, max ${ms(Math.max(...perChange))}; ` +
          `all ${LIVE.clients} connected with their snapshot in ${ms(connectMs)}; ${events.toFixed(1)} build events per client for ${LIVE.changes} changes (+1 snapshot)`,
      ],
    },
    {
      name: "live",
      what: "LISTEN sprout_events connections",
      figures: `${listens.sprout} (held by: ${listens.where})`,
      target: "exactly 1, web",
      ok: listens.sprout === 1 && listens.where === "web",
      detail: [`every LISTEN connection on the database: ${listens.all}`],
    },
  ];
}

// ---------------------------------------------------------------- main

async function bench(url: string, dbName: string): Promise<boolean> {
  let web: ChildProcess | null = null;
  let worker: ChildProcess | null = null;
  try {
    db = new pg.Client({ connectionString: url });
    await db.connect();
    const version = (await db.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version.split(" ")[0]!;
    const started = await startWeb(url, { rebuild, warnStale: true });
    web = started.child;
    base = started.base;
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
    await db?.end().catch(() => {});
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
