// What the benchmarks that run the real web server share (bench/history.ts, bench/engine.ts): a
// fresh database to run against, `next start` on a free port, and the processes it forks, their
// memory and their stopping, read from /proc (Linux).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type TEmbeddedPostgres } from "@/scripts/embedded-postgres";
import { migrate } from "@/scripts/migrate";
import { adminQuery, dropDatabase, withDatabase } from "@/tests/support/database";

export const say = (line: string) => console.log(`[bench] ${line}`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- database

/**
 * Runs `body` against a fresh, migrated database `<prefix>_<random hex>` on TEST_DATABASE_URL's
 * server, else on an embedded PostgreSQL under .data/bench. Drops it afterwards unless `keep`.
 */
export async function withBenchDatabase<T>(prefix: string, keep: boolean, body: (url: string, dbName: string) => Promise<T>): Promise<T> {
  let embedded: TEmbeddedPostgres | null = null;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: ".data/bench", database: "postgres" });
    serverUrl = embedded.url;
  }
  const dbName = `${prefix}_${crypto.randomBytes(4).toString("hex")}`;
  const url = withDatabase(serverUrl, dbName);
  let created = false;
  // the demo's repository, mirrors and workspaces of this run: never the ones `npm start` uses in .data/
  const dataDir = process.env.SPROUT_DATA_DIR ? null : fs.mkdtempSync(path.join(os.tmpdir(), `sprout-${prefix}-`));
  if (dataDir) process.env.SPROUT_DATA_DIR = dataDir;
  try {
    await adminQuery(serverUrl, `CREATE DATABASE "${dbName}"`);
    created = true;
    await migrate(url);
    return await body(url, dbName);
  } finally {
    if (keep)
      say(`kept the database: ${url.replace(/:[^:@/]+@/, ":***@")}${embedded ? " (embedded server under .data/bench, stopped)" : ""}`);
    else if (created) await dropDatabase(url).catch((e) => say(`could not drop the database: ${e}`));
    await embedded?.stop();
    if (dataDir && keep) say(`kept its data directory (the demo's repository): SPROUT_DATA_DIR=${dataDir}`);
    else if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- processes

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The process and its descendants (next start may fork its server). */
export function processTree(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // the command name, in parentheses, may hold spaces: the fields after it are state, ppid, …
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {} // exited meanwhile
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parentOf) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/** A process's resident memory now and its peak (VmHWM), in kB; zeros once it has exited. */
export function memoryKb(pid: number): { rss: number; hwm: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
    return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; then SIGTERM to the descendants it had (see processTree). */
export async function stopProcess(child: ChildProcess | null, graceMs: number): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const tree = processTree(child.pid!);
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  if (!(await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]))) child.kill("SIGKILL");
  for (const pid of tree.slice(1)) {
    try {
      process.kill(pid, "SIGTERM"); // a forked server that outlived its parent
    } catch {}
  }
}

// ---------------------------------------------------------------- web server

/** Files of the web app newer than the production build the web server will serve. */
function staleSources(): string[] {
  const built = fs.statSync(".next/BUILD_ID").mtimeMs;
  const newer: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "generated") walk(p);
      } else if (/\.(ts|tsx)$/.test(e.name) && !e.name.endsWith(".test.ts") && fs.statSync(p).mtimeMs > built) newer.push(p);
    }
  };
  for (const dir of ["app", "lib", "components"]) if (fs.existsSync(dir)) walk(dir);
  return newer;
}

/**
 * The benches call the API as a script does: with an instance-wide admin token (what
 * SPROUT_BOOTSTRAP_TOKEN makes at `npm start`), created in the bench database.
 */
export const authHeaders: Record<string, string> = {};

async function createBenchToken(databaseUrl: string): Promise<void> {
  process.env.DATABASE_URL = databaseUrl; // lib/db connects on first use
  const { ensureBootstrapToken, newTokenValue } = await import("@/lib/server/auth/tokens");
  const value = newTokenValue();
  await ensureBootstrapToken(value);
  authHeaders.authorization = `Bearer ${value}`;
}

/**
 * `next start` on a free port against `databaseUrl`, once GET /api/apps answers (with the bench's token). Runs `next build`
 * first when there is no build in .next, or always with `rebuild`; with `warnStale`, says when the
 * sources changed since the build it serves.
 */
export async function startWeb(
  databaseUrl: string,
  opts: { rebuild?: boolean; warnStale?: boolean } = {},
): Promise<{ child: ChildProcess; base: string }> {
  if (opts.rebuild || !fs.existsSync(".next/BUILD_ID")) {
    say(`${opts.rebuild ? "--build" : "no .next/BUILD_ID"}: running next build …`);
    // Collecting page data imports the routes, and lib/db wants DATABASE_URL at import (as in npm start).
    const env = { ...process.env, DATABASE_URL: databaseUrl };
    const b = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit", env });
    if (b.status !== 0) throw new Error(`next build failed (${b.status})`);
  } else if (opts.warnStale) {
    const stale = staleSources();
    if (stale.length)
      say(
        `note: ${stale.length} source file(s) changed since .next was built (e.g. ${stale.slice(0, 3).join(", ")}); the web server runs the older build (--build rebuilds it)`,
      );
  }
  await createBenchToken(databaseUrl);
  const t0 = performance.now();
  const port = await freePort();
  // the web process as npm start and the README run it: with two malloc arenas
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    env: { MALLOC_ARENA_MAX: "2", ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode})`);
    if (
      await fetch(`${base}/api/apps`, { headers: authHeaders }).then(
        (r) => r.ok,
        () => false,
      )
    ) {
      say(`web server up in ${((performance.now() - t0) / 1000).toFixed(1)} s at ${base} (pid ${child.pid})`);
      return { child, base };
    }
  }
  child.kill("SIGKILL");
  throw new Error("the web server did not answer within 60 s");
}
