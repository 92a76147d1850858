// The embedded PostgreSQL's processes: initdb, and the postmaster in a process group of its own
// (so that the terminal's Ctrl-C does not reach it), its output appended to <data folder>/pg.log.
// Every way they can fail (cannot be run, exits while starting) is worded for the user.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { EmbeddedPostgresError, ownedFolder, type TPgLayout } from "./pg-layout";

export interface TServerProcess {
  pid: number;
  /** resolves once the postmaster has exited, with how ("exit code 1", "killed by SIGKILL") */
  exited: Promise<string>;
  /** how it exited, null while it runs */
  exitedWith(): string | null;
  /** the last FATAL/PANIC line it logged since it was started, without its timestamp */
  lastError(): string | null;
}

const INSTEAD = "or set DATABASE_URL to a PostgreSQL server";

/** The environment of initdb and postgres: none of ours (secrets), messages in English for the log and our reading of it. */
function serverEnv(): NodeJS.ProcessEnv {
  const { PATH = "/usr/bin:/bin", TZ, NODE_ENV } = process.env;
  return { PATH, NODE_ENV, LC_ALL: "C", ...(TZ ? { TZ } : {}) };
}

function spawnOptions(layout: TPgLayout) {
  // cwd "/": the checkout may be a folder the server's OS user cannot enter
  return { cwd: "/", env: serverEnv(), ...(layout.runAs ? { uid: layout.runAs.uid, gid: layout.runAs.gid } : {}) };
}

export function spawnFailure(e: NodeJS.ErrnoException, file: string, layout: TPgLayout): string {
  const who = layout.runAs ? `the OS user ${layout.runAs.name}` : "this user";
  if (e.code === "ENOENT") return `${file} is missing: run \`npm install\` again (it installs the PostgreSQL binaries), ${INSTEAD}.`;
  if (e.code === "EACCES")
    return `${who} cannot run ${file} (permission denied): make it executable (chmod +x) or run \`npm install\` again, ${INSTEAD}.`;
  return `could not run ${file} (${e.code ?? e.message}): ${INSTEAD}.`;
}

/** The cluster's system identifier, read from global/pg_control (its first field), as PostgreSQL prints it. */
export function readSystemId(clusterDir: string): string {
  const control = fs.readFileSync(path.join(clusterDir, "global", "pg_control"));
  return (os.endianness() === "LE" ? control.readBigUInt64LE(0) : control.readBigUInt64BE(0)).toString();
}

/** initdb into `<cluster>.init`, renamed into place once complete: a cluster is never half made. */
export async function initCluster(layout: TPgLayout, user: string, password: string): Promise<void> {
  const target = layout.clusterDir;
  const tmp = `${target}.init`;
  fs.rmSync(tmp, { recursive: true, force: true });
  ownedFolder(tmp, layout.runAs);
  // the password file must be readable by initdb's user and by nobody else
  const pwDir = fs.mkdtempSync(path.join(os.tmpdir(), "sprout-pg-"));
  const pwFile = path.join(pwDir, "pw");
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (layout.runAs) {
    fs.chownSync(pwDir, layout.runAs.uid, layout.runAs.gid);
    fs.chownSync(pwFile, layout.runAs.uid, layout.runAs.gid);
  }
  const initdb = path.join(layout.binDir, "initdb");
  const args = [`--pgdata=${tmp}`, `--username=${user}`, `--pwfile=${pwFile}`, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C"];
  try {
    const { code, signal, output } = await run(initdb, args, layout);
    if (code !== 0) {
      const why = output.trim().split("\n").filter(Boolean).pop() ?? "no output";
      throw new EmbeddedPostgresError(`initdb failed (${signal ?? `exit code ${code}`}) creating ${target}: ${why}; ${INSTEAD}.`);
    }
  } finally {
    fs.rmSync(pwDir, { recursive: true, force: true });
  }
  if (fs.existsSync(target) && fs.readdirSync(target).length === 0) fs.rmdirSync(target);
  fs.renameSync(tmp, target);
}

function run(file: string, args: string[], layout: TPgLayout): Promise<{ code: number | null; signal: string | null; output: string }> {
  return new Promise((resolve, reject) => {
    let output = "";
    let child: ChildProcess;
    try {
      child = spawn(file, args, { ...spawnOptions(layout), stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      return reject(new EmbeddedPostgresError(spawnFailure(e as NodeJS.ErrnoException, file, layout)));
    }
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    child.once("error", (e) => reject(new EmbeddedPostgresError(spawnFailure(e, file, layout))));
    child.once("close", (code, signal) => resolve({ code, signal, output }));
  });
}

/** Starts the postmaster, detached. Does not wait for it to accept connections. */
export function spawnServer(layout: TPgLayout, port: number, logFile: string): TServerProcess {
  const file = path.join(layout.binDir, "postgres");
  if (fs.existsSync(logFile) && fs.statSync(logFile).size > 10 * 1024 * 1024) fs.renameSync(logFile, `${logFile}.1`);
  const out = fs.openSync(logFile, "a", 0o600);
  const from = fs.fstatSync(out).size;
  const args = ["-D", layout.clusterDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="];
  let how: string | null = null;
  let child: ChildProcess | null = null;
  let settle: (how: string) => void = () => {};
  const exited = new Promise<string>((resolve) => (settle = resolve));
  const finish = (text: string) => {
    if (how !== null) return;
    how = text;
    settle(text);
  };
  try {
    child = spawn(file, args, { ...spawnOptions(layout), detached: true, stdio: ["ignore", out, out] });
  } catch (e) {
    finish(spawnFailure(e as NodeJS.ErrnoException, file, layout));
  } finally {
    fs.closeSync(out);
  }
  const pid = child?.pid ?? 0;
  if (child) {
    child.unref();
    child.once("error", (e) => finish(spawnFailure(e, file, layout)));
    child.once("exit", (code, signal) => {
      // a postmaster killed outright leaves its backends behind, holding the shared memory a restart needs
      if (pid) signalGroup(pid, "SIGQUIT");
      finish(signal ? `killed by ${signal}` : `exit code ${code}`);
    });
  }
  return {
    pid,
    exited,
    exitedWith: () => how,
    lastError: () => lastError(logFile, from),
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // nobody left in the group
  }
}

function lastError(logFile: string, from: number): string | null {
  try {
    const fd = fs.openSync(logFile, "r");
    try {
      const size = fs.fstatSync(fd).size;
      const start = Math.max(from, size - 64 * 1024);
      const buf = Buffer.alloc(size - start);
      fs.readSync(fd, buf, 0, buf.length, start);
      const lines = buf.toString("utf8").split("\n");
      const text = (l: string) => l.replace(/^.*?\b(LOG|FATAL|PANIC):\s*/, "");
      const fatal = lines.filter((l) => /\b(FATAL|PANIC):/.test(l)).pop();
      // "configuration file … contains errors" comes after the lines that say which
      const causes = lines.filter((l) =>
        /\bLOG:\s+(invalid value for parameter|syntax error|unrecognized configuration parameter)/.test(l),
      );
      return fatal ? [...causes, fatal].map(text).join("; ") : null;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}
