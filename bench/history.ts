// History benchmark: one stage with 100,000 builds (3 steps each) behind the real web server, and
// the history API's first page and a page ~90,000 builds deep, timed over HTTP, with the web
// process's peak memory. Run: npx tsx --conditions=react-server bench/history.ts [--keep]
// Uses TEST_DATABASE_URL's server when set, else an embedded PostgreSQL under .data/bench.
import type { ChildProcess } from "node:child_process";
import os from "node:os";
import pg from "pg";
import { authHeaders, memoryKb, processTree, say, startWeb, stopProcess, withBenchDatabase } from "./support";

const BUILDS = 100_000;
const WARMUP = 10;
const RUNS = 50;
const TARGET_MEDIAN_MS = 50;
const TARGET_RSS_MB = 300;
const keep = process.argv.includes("--keep");

async function fill(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The NOTIFY triggers would queue one notification per row; nobody listens to a bench database.
    await client.query("SET session_replication_role = replica").catch(() => say("not a superuser: filling with the triggers on (slower)"));
    await client.query("BEGIN");
    const {
      rows: [stage],
    } = await client.query<{ id: number }>(
      `WITH app AS (INSERT INTO apps (name) VALUES ('bench') RETURNING id)
       INSERT INTO stages (app_id, name, last_build_number) SELECT id, 'prod', $1 FROM app RETURNING id`,
      [BUILDS],
    );
    await client.query(`INSERT INTO artifacts (digest, service, template, depends_on)
      SELECT 'sha256:' || encode(sha256(s::bytea), 'hex'), s, '{"Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}', '{}'
      FROM unnest(ARRAY['api', 'worker', 'web']) s`);
    // One build every 10 minutes up to now: every 40th failed, every 100th a rollback of the one before.
    await client.query(
      `
      INSERT INTO builds (stage_id, number, kind, status, rollback_of, commit_sha, commit_message, commit_author, commit_branch,
                          triggered_by, target, release, log_seq, created_at, started_at, finished_at)
      SELECT $1, n, CASE WHEN n % 100 = 0 THEN 'rollback' ELSE 'deploy' END::"BuildKind",
             CASE WHEN n % 40 = 0 THEN 'failed' ELSE 'success' END::"BuildStatus", CASE WHEN n % 100 = 0 THEN n - 1 END,
             md5(n::text) || left(md5((-n)::text), 8), 'Change number ' || n || ': tune the api handler', 'Bench Author',
             'master', 'github:push', r.release, r.release, 12, t, t + interval '2 seconds', t + interval '40 seconds'
      FROM generate_series(1, $2::int) n
      CROSS JOIN LATERAL (SELECT (now() AT TIME ZONE 'UTC') - (($2::int - n) * interval '10 minutes') AS t) ts
      CROSS JOIN (SELECT jsonb_object_agg(service, digest) AS release FROM artifacts) r`,
      [stage!.id, BUILDS],
    );
    await client.query(
      `
      INSERT INTO steps (build_id, service, action, status, phase, "after", position, artifact_digest, started_at, finished_at)
      SELECT b.id, a.service, 'update', CASE WHEN b.status = 'failed' AND a.service = 'web' THEN 'failed' ELSE 'success' END::"StepStatus",
             p.phase, p."after", p.phase - 1, a.digest, b.started_at, b.finished_at
      FROM builds b CROSS JOIN artifacts a
      JOIN (VALUES ('api', 1, '{}'::text[]), ('worker', 2, '{api}'), ('web', 3, '{worker}')) p(service, phase, "after") ON p.service = a.service
      WHERE b.stage_id = $1`,
      [stage!.id],
    );
    await client.query("COMMIT");
    await client.query("ANALYZE");
  } finally {
    await client.end();
  }
}

type TCase = { name: string; path: string; firstNumber: number };
type TResult = TCase & { median: number; p95: number; source: string };

async function measure(base: string, c: TCase): Promise<TResult> {
  const once = async () => {
    const t0 = performance.now();
    const res = await fetch(base + c.path, { headers: authHeaders });
    const body = (await res.json()) as { builds?: { number: number }[] };
    const roundTrip = performance.now() - t0;
    if (res.status !== 200 || body.builds?.length !== 25 || body.builds[0]!.number !== c.firstNumber) {
      throw new Error(`${c.path}: unexpected answer ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    }
    // Server-Timing, when the route sends it, is the server's own time: prefer "total", else the largest.
    const timings = [...(res.headers.get("server-timing") ?? "").matchAll(/([\w-]+)[^,]*?dur=([\d.]+)/g)].map((m) => ({
      name: m[1]!,
      dur: Number(m[2]),
    }));
    const server = timings.find((t) => t.name === "total") ?? timings.sort((a, b) => b.dur - a.dur)[0];
    return server ? { ms: server.dur, source: `Server-Timing ${server.name}` } : { ms: roundTrip, source: "round trip (loopback)" };
  };
  for (let i = 0; i < WARMUP; i++) await once();
  const samples: { ms: number; source: string }[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await once());
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { ...c, median: at(0.5), p95: at(0.95), source: samples[0]!.source };
}

async function bench(url: string): Promise<boolean> {
  let web: ChildProcess | null = null;
  try {
    const t0 = performance.now();
    await fill(url);
    say(
      `filled ${BUILDS.toLocaleString("en")} builds and ${(3 * BUILDS).toLocaleString("en")} steps in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const started = await startWeb(url);
    web = started.child;

    let peakSampledKb = 0;
    const sampler = setInterval(() => {
      const total = processTree(web!.pid!).reduce((sum, pid) => sum + memoryKb(pid).rss, 0);
      peakSampledKb = Math.max(peakSampledKb, total);
    }, 50);
    const cases: TCase[] = [
      { name: "first page", path: "/api/apps/bench/stages/prod/builds?limit=25", firstNumber: BUILDS },
      { name: "page ~90,000 deep", path: "/api/apps/bench/stages/prod/builds?limit=25&before=10001", firstNumber: 10_000 },
    ];
    const results: TResult[] = [];
    for (const c of cases) results.push(await measure(started.base, c));
    clearInterval(sampler);
    // VmHWM is each process's own peak, so peaks between two samples are not missed.
    const tree = processTree(web.pid!);
    const hwmMb = tree.reduce((sum, pid) => sum + memoryKb(pid).hwm, 0) / 1024;
    const peakMb = Math.max(hwmMb, peakSampledKb / 1024);

    const pad = (s: string, n: number) => s.padEnd(n);
    console.log(`\n${pad("history API (limit=25)", 24)}${pad("median", 10)}${pad("p95", 10)}${pad("target", 16)}result`);
    let ok = true;
    for (const r of results) {
      const pass = r.median <= TARGET_MEDIAN_MS;
      ok &&= pass;
      console.log(
        `${pad(r.name, 24)}${pad(`${r.median.toFixed(1)} ms`, 10)}${pad(`${r.p95.toFixed(1)} ms`, 10)}${pad(`median <= ${TARGET_MEDIAN_MS} ms`, 16)}${pass ? "ok" : "MISSED"}`,
      );
    }
    const memPass = peakMb < TARGET_RSS_MB;
    ok &&= memPass;
    console.log(
      `${pad("web peak RSS", 24)}${pad(`${peakMb.toFixed(0)} MB`, 20)}${pad(`< ${TARGET_RSS_MB} MB`, 16)}${memPass ? "ok" : "MISSED"}`,
    );
    console.log(
      `\ntimes: ${results[0]!.source}, ${RUNS} requests each after ${WARMUP} warm-up; memory: ${tree.length} process(es) (pids ${tree.join(", ")}), sum of VmHWM ${hwmMb.toFixed(0)} MB, sampled VmRSS peak ${(peakSampledKb / 1024).toFixed(0)} MB; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs`,
    );
    return ok;
  } finally {
    await stopProcess(web, 5_000);
  }
}

withBenchDatabase("sprout_bench", keep, bench).then(
  (ok) => process.exit(ok ? 0 : 1),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
