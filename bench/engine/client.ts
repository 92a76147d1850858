// What the engine benchmark's parts share (bench/engine.ts, bench/engine/*.ts): the worker process,
// the web server's address and a database connection (ctx), the API calls a script makes, the
// builds' progress read from the database, and the figures' rows and formatting.
import { spawn, type ChildProcess } from "node:child_process";
import type pg from "pg";
import { authHeaders, say, sleep } from "../support";

const STEP_CONCURRENCY = 32;

/** Set by bench() in bench/engine.ts: the web server's address and a connection to the bench database. */
export const ctx = { base: "", db: null as unknown as pg.Client };

// ---------------------------------------------------------------- processes

export async function startWorkerProcess(databaseUrl: string): Promise<ChildProcess> {
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

export type TStep = {
  service: string;
  action: string;
  status: string;
  phase: number;
  after: string[];
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
};
export type TBuild = {
  number: number;
  kind: string;
  status: string;
  rollbackOf: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  steps: TStep[];
};

export async function api<T>(method: string, url: string, body?: unknown, ok = [200, 201]): Promise<T> {
  const res = await fetch(ctx.base + url, {
    method,
    headers: body === undefined ? authHeaders : { ...authHeaders, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!ok.includes(res.status)) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 400)}`);
  return JSON.parse(text) as T;
}

let shaCounter = 0;
export const commit = (message: string) => ({
  sha: (++shaCounter).toString(16).padStart(40, "b"),
  message,
  author: "Bench <bench@example.com>",
  branch: "main",
});

type TProgress = { status: string; createdAt: number; startedAt: number | null; finishedAt: number | null; firstStep: number | null };
const epoch = (col: string) => `(extract(epoch from ${col}) * 1000)::float8`; // timestamp(3) is UTC

export async function progress(app: string, number: number): Promise<TProgress | null> {
  const { rows } = await ctx.db.query(
    `SELECT b.status, ${epoch("b.created_at")} AS "createdAt", ${epoch("b.started_at")} AS "startedAt", ${epoch("b.finished_at")} AS "finishedAt",
            (SELECT ${epoch("min(s.started_at)")} FROM steps s WHERE s.build_id = b.id) AS "firstStep"
     FROM builds b JOIN stages st ON st.id = b.stage_id JOIN apps a ON a.id = st.app_id
     WHERE a.name = $1 AND st.name = 'prod' AND b.number = $2`,
    [app, number],
  );
  return (rows[0] as TProgress | undefined) ?? null;
}

export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

const TERMINAL = ["success", "failed", "canceled"];
export async function waitEnd(app: string, number: number, timeoutMs = 60_000): Promise<TBuild> {
  await until(
    `${app} build #${number} to end`,
    async () => {
      const p = await progress(app, number);
      return p && TERMINAL.includes(p.status);
    },
    timeoutMs,
    20,
  );
  const { build } = await api<{ build: TBuild }>("GET", `/api/apps/${app}/stages/prod/builds/${number}`);
  if (build.status !== "success") throw new Error(`${app} build #${number} ended ${build.status}: ${build.error ?? ""}`);
  return build;
}

/** POSTs, then waits for the build's first step to run; times from the send, on this machine's clock. */
export async function timedPickup(
  app: string,
  url: string,
  body: unknown,
): Promise<{ number: number; pickupMs: number; answeredMs: number; queuedToClaimMs: number; claimToStepMs: number }> {
  const t0 = Date.now();
  const { build } = await api<{ build: TBuild }>("POST", url, body);
  const answeredMs = Date.now() - t0;
  const p = await until(
    `build #${build.number}'s first step to start`,
    async () => {
      const p = await progress(app, build.number);
      return p?.firstStep != null ? p : null;
    },
    30_000,
    5,
  );
  return {
    number: build.number,
    pickupMs: p.firstStep! - t0,
    answeredMs,
    queuedToClaimMs: p.startedAt! - p.createdAt,
    claimToStepMs: p.firstStep! - p.startedAt!,
  };
}

// ---------------------------------------------------------------- figures

export type TRow = { name: string; what: string; figures: string; target: string; ok: boolean; detail?: string[] };

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
export const ms = (v: number) => `${Math.round(v)} ms`;
export const sec = (v: number) => `${(v / 1000).toFixed(2)} s`;

export type TPickup = Awaited<ReturnType<typeof timedPickup>>;
export const slowest = (samples: TPickup[]) => {
  const w = samples.reduce((a, b) => (b.pickupMs > a.pickupMs ? b : a));
  return `slowest ${ms(w.pickupMs)} (#${w.number}: answered ${ms(w.answeredMs)}, created -> claimed ${ms(w.queuedToClaimMs)}, claimed -> first step ${ms(w.claimToStepMs)})`;
};
