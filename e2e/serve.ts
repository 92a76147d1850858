// The server Playwright tests run against: a FRESH database (sprout_e2e_<random>) on TEST_DATABASE_URL's
// server or an embedded PostgreSQL under .data/e2e, migrated and loaded with the demo, then
// the web server (`npm start`'s: scripts/web-server.ts) and the worker on it. The run's
// SPROUT_DATA_DIR (the demo's repository, mirrors, workspaces) is a temporary folder of its own,
// named in DATA_DIR_FILE. SIGTERM/SIGINT stop both, drop the database and remove that folder.
// Run by playwright.config.ts: node --conditions=react-server --import tsx e2e/serve.ts
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { startEmbeddedPostgres, type TEmbeddedPostgres } from "@/scripts/embedded-postgres";
import { migrate } from "@/scripts/migrate";
import { onShutdownSignals, stopChildren } from "@/scripts/children";
import { adminQuery, dropDatabase, withDatabase } from "@/tests/support/database";
import { assertLocalDatabase } from "./assert-local-database";
import { AUTH_FILE, DATA_DIR_FILE } from "./auth-files";

const port = Number(process.env.E2E_PORT ?? 3100);
const URL_FILE = path.resolve(".data/e2e-database-url");
const say = (line: string) => console.log(`[e2e] ${line}`);

const children: ChildProcess[] = [];
let embedded: TEmbeddedPostgres | null = null;
let databaseUrl: string | null = null;
let dataDir: string | null = null;
let stopping = false;

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await stopChildren(children, 8_000);
  if (databaseUrl) {
    await dropDatabase(databaseUrl).catch((e) =>
      say(`could not drop ${databaseUrl}: ${e instanceof Error ? e.message : e}${embedded ? " (the next run drops it)" : ""}`),
    );
    fs.rmSync(URL_FILE, { force: true });
    fs.rmSync(AUTH_FILE, { force: true });
  }
  if (dataDir) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(DATA_DIR_FILE, { force: true });
  }
  // the embedded PostgreSQL has a process group of its own: Playwright's signal to ours does not reach it
  if (embedded) await Promise.race([embedded.stop().catch(() => {}), new Promise((r) => setTimeout(r, 5_000))]);
  process.exit(code);
}
// this shutdown must finish first: stop the children, drop the database, then stop PostgreSQL
onShutdownSignals(() => void stop(0));

function run(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "inherit", "inherit"] });
  child.on("exit", (code, signal) => {
    if (stopping) return;
    say(`${name} exited (${signal ?? code}): stopping.`);
    void stop(1);
  });
  children.push(child);
  return child;
}

/** Databases of earlier runs whose server was killed before it could drop them (the embedded cluster is e2e's own). */
async function dropLeftovers(serverUrl: string) {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'sprout\\_e2e\\_%'");
    // without FORCE: a database still in use by another run is left alone
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => {});
  } finally {
    await client.end();
  }
}

async function main() {
  assertLocalDatabase(process.env.TEST_DATABASE_URL, "TEST_DATABASE_URL");
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: ".data/e2e", database: "postgres", log: say });
    serverUrl = embedded.url;
    await dropLeftovers(serverUrl);
  }
  const name = `sprout_e2e_${crypto.randomBytes(5).toString("hex")}`;
  await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
  databaseUrl = withDatabase(serverUrl, name);
  fs.mkdirSync(path.dirname(URL_FILE), { recursive: true });
  fs.writeFileSync(URL_FILE, databaseUrl);
  await migrate(databaseUrl);

  // lib/db reads DATABASE_URL when first imported, hence the dynamic import after setting it
  process.env.DATABASE_URL = databaseUrl;
  // the demo seals its webhook secret and makes its repository under the run's own data folder
  process.env.SPROUT_SECRET_KEY ??= crypto.randomBytes(32).toString("hex");
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sprout-e2e-data-"));
  process.env.SPROUT_DATA_DIR = dataDir;
  fs.writeFileSync(DATA_DIR_FILE, dataDir);
  const demo = (await import(pathToFileURL(path.resolve("prisma/demo.ts")).href)) as { loadDemo: () => Promise<void> };
  await demo.loadDemo();
  // accounts: the instance admin global-setup.ts signs in as (its session is every spec's default),
  // and SPROUT_BOOTSTRAP_TOKEN's instance-wide admin token for API calls without a session
  const { DEMO_ADMIN_EMAIL, setupFirstAdmin, generatePassword } = await import("@/lib/server/auth/users");
  const { ensureBootstrapToken, newTokenValue } = await import("@/lib/server/auth/tokens");
  const admin = { email: DEMO_ADMIN_EMAIL, password: generatePassword() };
  await setupFirstAdmin(admin);
  process.env.SPROUT_BOOTSTRAP_TOKEN = newTokenValue();
  await ensureBootstrapToken(process.env.SPROUT_BOOTSTRAP_TOKEN);
  // the secret key too: e2e/multi-web.spec.ts starts a second web server on the same database
  fs.writeFileSync(
    AUTH_FILE,
    JSON.stringify({ ...admin, token: process.env.SPROUT_BOOTSTRAP_TOKEN, secretKey: process.env.SPROUT_SECRET_KEY }),
    {
      mode: 0o600,
    },
  );
  const { db } = await import("@/lib/server/db");
  await db.$disconnect();
  say(`database ${name} migrated, demo loaded, admin ${admin.email} created.`);

  const env = { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) };
  if (!fs.existsSync(path.join(".next", "BUILD_ID"))) {
    say("no build in .next: running next build …");
    await new Promise<void>((resolve, reject) => {
      const b = spawn(process.execPath, ["node_modules/next/dist/bin/next", "build"], { env, stdio: "inherit" });
      b.on("exit", (c) => (c === 0 ? resolve() : reject(new Error(`next build failed (${c})`))));
    });
  }
  // as `npm start` runs it; 127.0.0.9 plays a reverse proxy for the sign-in rate limit's spec
  run("web", ["--import", "tsx", "scripts/web-server.ts"], { ...env, SPROUT_TRUSTED_PROXIES: "127.0.0.9" });
  if (fs.existsSync("lib/worker/main.ts")) {
    run("worker", ["--conditions=react-server", "--import", "tsx", "lib/worker/main.ts"], env);
  } else {
    say("warning: lib/worker/main.ts does not exist yet: running without a worker (builds stay queued).");
  }
}

main().catch((e) => {
  console.error(`[e2e] could not start: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
  void stop(1);
});
