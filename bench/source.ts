// Source build benchmark: the real web server and a real worker process against a fresh database,
// an app connected to a real bare repository of 20 services and 5,000 files (bench/source/repository.ts),
// and signed GitHub push deliveries posted to the webhook route over HTTP, each push touching one
// service. Targets: webhook sent -> the build's first step (its checkout) running, median <= 500 ms;
// exactly one service packaged and deployed per push; the checkout step (fetch into the cached
// mirror, then a workspace of 5,000 files) median <= 1 s. Then bench/source/checkout.ts measures
// the checkout alone. Exits non-zero when a target is missed.
// Run: npm run bench:source [-- --keep] [-- --build]
// Uses TEST_DATABASE_URL's server when set, else an embedded PostgreSQL under .data/bench; the web
// server as bench/engine.ts starts it (next build first when .next/BUILD_ID is missing, or with --build).
import type { ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { GITHUB_HEADERS, signGithubBody } from "@/lib/core/source/webhooks";
import { createOrigin, tempDir, writeFiles } from "@/tests/support/git-repo";
import { api, ctx, ms, quantile, startWorkerProcess, until } from "./engine/client";
import { layout, serviceName, SERVICES } from "./source/repository";
import { say, startWeb, stopProcess, withBenchDatabase } from "./support";

const RUNS = 12;
const WARMUP = 2;
const TARGET_PICKUP_MS = 500;
const TARGET_CHECKOUT_MS = 1000;
const APP = "mono";
const keep = process.argv.includes("--keep");
const rebuild = process.argv.includes("--build");

type TStepRow = { key: string; action: string; status: string; startedAt: number | null; finishedAt: number | null };
type TBuildRow = { number: number; status: string; error: string | null; steps: TStepRow[] };

const epoch = (col: string) => `(extract(epoch from ${col}) * 1000)::float8`;

async function buildOf(number: number): Promise<TBuildRow | null> {
  const { rows } = await ctx.db.query(
    `SELECT b.number, b.status, b.error, coalesce(json_agg(json_build_object(
        'key', s.key, 'action', s.action, 'status', s.status,
        'startedAt', ${epoch("s.started_at")}, 'finishedAt', ${epoch("s.finished_at")}) ORDER BY s.position)
        FILTER (WHERE s.id IS NOT NULL), '[]') AS steps
     FROM builds b JOIN stages st ON st.id = b.stage_id JOIN apps a ON a.id = st.app_id LEFT JOIN steps s ON s.build_id = b.id
     WHERE a.name = $1 AND st.name = 'dev' AND b.number = $2 GROUP BY b.id`,
    [APP, number],
  );
  return (rows[0] as TBuildRow | undefined) ?? null;
}

async function push(secret: string, sha: string): Promise<number> {
  const raw = Buffer.from(
    JSON.stringify({
      ref: "refs/heads/main",
      before: "0".repeat(40),
      after: sha,
      head_commit: { id: sha, message: "bench", author: { name: "Bench", email: "bench@example.com" } },
      repository: { full_name: "bench/mono" },
    }),
  );
  const res = await fetch(`${ctx.base}/api/webhooks/github/${APP}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [GITHUB_HEADERS.event]: "push",
      [GITHUB_HEADERS.delivery]: crypto.randomUUID(),
      [GITHUB_HEADERS.signature]: signGithubBody(secret, raw),
    },
    body: raw,
  });
  const body = (await res.json()) as { builds?: { number: number }[] };
  if (res.status !== 202 || body.builds?.length !== 1) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(body)}`);
  return body.builds[0]!.number;
}

const ended = (number: number, timeoutMs = 120_000) =>
  until(
    `build #${number} to end`,
    async () => {
      const b = await buildOf(number);
      return b && !["queued", "running"].includes(b.status) ? b : null;
    },
    timeoutMs,
    20,
  );

async function bench(url: string) {
  const root = await tempDir("bench-source");
  let web: ChildProcess | null = null;
  let worker: ChildProcess | null = null;
  try {
    // the web server and the worker share the key that seals the webhook secret, and the data folder of the mirrors
    process.env.SPROUT_SECRET_KEY ??= crypto.randomBytes(32).toString("hex");
    process.env.SPROUT_DATA_DIR = path.join(root, "data");
    ctx.db = new pg.Client({ connectionString: url });
    await ctx.db.connect();
    const started = await startWeb(url, { rebuild, warnStale: true });
    web = started.child;
    ctx.base = started.base;
    worker = await startWorkerProcess(url);

    let t = performance.now();
    const origin = await createOrigin(root);
    // each service's build stamps a checksum of its src/ into the template: a change there is a new artifact to deploy
    const template = {
      Metadata: { Sprout: { deploySeconds: 0.05 } },
      Resources: { Topic: { Type: "AWS::SNS::Topic", Properties: { DisplayName: "@VERSION@" } } },
    };
    const build = `mkdir -p .sprout && sed "s/@VERSION@/$(cat src/*.ts | cksum | cut -d' ' -f1)/" template.src.json > .sprout/template.json`;
    const files = layout(20_240_501, { build, template, templateAt: "template.src.json" });
    await writeFiles(origin.work, files);
    await origin.git(["add", "--all"]);
    await origin.git(["commit", "--quiet", "-m", "20 services"]);
    await origin.git(["push", "--quiet", "origin", "HEAD:refs/heads/main"]);
    const first = (await origin.git(["rev-parse", "HEAD"])).trim();
    say(`repository: ${Object.keys(files).length} files in ${SERVICES} services, made in ${ms(performance.now() - t)}`);

    await api("POST", "/api/apps", { name: APP, stages: [{ name: "dev", branch: "main", autoDeploy: true }] });
    const { webhookSecret } = await api<{ webhookSecret: string }>("PUT", `/api/apps/${APP}/repository`, { url: origin.url });
    t = performance.now();
    const initial = await ended(await push(webhookSecret, first));
    if (initial.status !== "success") throw new Error(`the first build ended ${initial.status}: ${initial.error}`);
    say(`first build (all ${SERVICES} services packaged and deployed): ${ms(performance.now() - t)}`);

    const pickups: number[] = [];
    const checkouts: number[] = [];
    const walls: number[] = [];
    const wrong: string[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const service = serviceName(i % SERVICES);
      const sha = await origin.commit({ [`services/${service}/src/file-${i}.ts`]: `export const run = ${i};\n` }, `touch ${service}`);
      const t0 = Date.now();
      const number = await push(webhookSecret, sha);
      const running = await until(
        `build #${number}'s checkout to run`,
        async () => (await buildOf(number))?.steps.find((s) => s.key === "checkout" && s.startedAt !== null),
        30_000,
        5,
      );
      const done = await ended(number);
      if (done.status !== "success") throw new Error(`build #${number} ended ${done.status}: ${done.error}`);
      const packaged = done.steps.filter((s) => s.action === "package").map((s) => s.key);
      const deployed = done.steps
        .filter((s) => s.action !== "package" && s.action !== "checkout" && s.action !== "unchanged")
        .map((s) => s.key);
      if (packaged.join() !== `package:${service}` || deployed.join() !== service)
        wrong.push(`#${number} touched ${service}: packaged [${packaged.join(", ")}], deployed [${deployed.join(", ")}]`);
      if (i < WARMUP) continue;
      const checkout = done.steps.find((s) => s.key === "checkout")!;
      pickups.push(running.startedAt! - t0);
      checkouts.push(checkout.finishedAt! - checkout.startedAt!);
      walls.push(Math.max(...done.steps.map((s) => s.finishedAt ?? 0)) - t0);
    }

    const rows = [
      { what: "webhook sent -> checkout running", values: pickups, target: TARGET_PICKUP_MS },
      { what: "checkout step (fetch + 5,000-file workspace)", values: checkouts, target: TARGET_CHECKOUT_MS },
      { what: "webhook sent -> build done (1 of 20 services)", values: walls, target: null },
    ];
    console.log(`\nsource builds, ${RUNS} pushes after ${WARMUP} warm-up, each touching one service:`);
    let ok = wrong.length === 0;
    for (const r of rows) {
      const median = quantile(r.values, 0.5);
      const pass = r.target === null || median <= r.target;
      ok &&= pass;
      console.log(
        `  ${r.what.padEnd(48)} median ${ms(median).padStart(7)}  p95 ${ms(quantile(r.values, 0.95)).padStart(7)}  max ${ms(Math.max(...r.values)).padStart(7)}` +
          (r.target === null ? "" : `   target median <= ${r.target} ms ${pass ? "ok" : "MISSED"}`),
      );
    }
    console.log(
      `  one service packaged and deployed per push: ${wrong.length === 0 ? "yes, every push" : `NO\n    ${wrong.join("\n    ")}`}`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await stopProcess(worker, 10_000);
    await stopProcess(web, 10_000);
    await ctx.db?.end().catch(() => {});
    if (!keep) await fs.rm(root, { recursive: true, force: true });
  }
}

await withBenchDatabase("sprout_bench_source", keep, bench);
