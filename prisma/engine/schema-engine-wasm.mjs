// Drop-in replacement for Prisma's native `schema-engine` binary (which `prisma` downloads from
// binaries.prisma.sh and therefore cannot be obtained offline). It speaks the same CLI/JSON-RPC
// protocol the Prisma CLI uses, but executes everything with the WebAssembly schema engine
// (@prisma/schema-engine-wasm, an npm package) over the pg driver adapter (@prisma/adapter-pg).
// PostgreSQL only. Point the CLI at it with:
//   PRISMA_SCHEMA_ENGINE_BINARY=./scripts/schema-engine npx prisma migrate dev
// (scripts/schema-engine is a 2-line sh wrapper that execs node on this file; it must be chmod +x)
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { createRequire } from "node:module";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as runtime from "@prisma/schema-engine-wasm/schema_engine_bg";

const require = createRequire(import.meta.url);
const ENGINE_HASH = "d1b3f377ca835d73fd50954a5e22128b9ebdd6b8"; // prisma 7.10.1's engines hash; only cosmetic

// ---------- argument parsing (same flags as the native binary)
const argv = process.argv.slice(2);
const datamodels = [];
let datasource = null;
let cliCommand = null;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--datamodels") datamodels.push(argv[++i]);
  else if (a === "--datasource") datasource = JSON.parse(argv[++i]);
  else if (a === "--enabled-preview-features" || a === "--extension-types") i++;
  else if (a === "--version" || a === "-V") {
    console.log(`schema-engine-cli ${ENGINE_HASH} (wasm shim)`);
    process.exit(0);
  } else if (a === "cli") {
    cliCommand = argv[++i];
  }
}

// logs go to stderr as JSON lines, like the native engine (the CLI parses them)
const log = (level, message, extra = {}) =>
  process.stderr.write(
    JSON.stringify({ timestamp: new Date().toISOString(), level, fields: { message, ...extra }, target: "schema_engine::logger" }) + "\n",
  );

function pgConfig(url) {
  const u = new URL(url);
  return {
    host: u.searchParams.get("host") || u.hostname || undefined,
    port: u.port ? Number(u.port) : undefined,
    user: decodeURIComponent(u.username) || undefined,
    password: decodeURIComponent(u.password) || undefined,
    database: decodeURIComponent(u.pathname.slice(1)) || undefined,
    ...(u.searchParams.get("sslmode") && u.searchParams.get("sslmode") !== "disable" ? { ssl: { rejectUnauthorized: false } } : {}),
  };
}
const pgErrorToPrisma = (e, cfg) =>
  e.code === "3D000"
    ? {
        error_code: "P1003",
        message: `Database \`${cfg.database}\` does not exist on the database server at \`${cfg.host}:${cfg.port ?? 5432}\`.`,
      }
    : e.code === "28P01"
      ? {
          error_code: "P1000",
          message: `Authentication failed against database server, the provided database credentials for \`${cfg.user}\` are not valid.`,
        }
      : e.code === "ECONNREFUSED"
        ? { error_code: "P1001", message: `Can't reach database server at \`${cfg.host}:${cfg.port ?? 5432}\`` }
        : { error_code: "P1000", message: String(e.message) };

// ---------- one-shot sub-commands: `schema-engine --datasource {...} cli <command>`
if (cliCommand) {
  // the CLI drops the first stderr line of a `cli` sub-command (the native engine's banner) and parses the rest
  log("INFO", "Starting schema engine CLI (wasm shim)", { git_hash: ENGINE_HASH });
  const cfg = pgConfig(datasource.url);
  const adminQuery = async (sql) => {
    const c = new pg.Client({ ...cfg, database: "postgres" });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  try {
    if (cliCommand === "can-connect-to-database") {
      const c = new pg.Client(cfg);
      await c.connect();
      await c.end();
    } else if (cliCommand === "create-database") {
      await adminQuery(`CREATE DATABASE "${cfg.database.replaceAll('"', '""')}"`);
      log("INFO", `Database '${cfg.database}' was successfully created.`);
    } else if (cliCommand === "drop-database") {
      await adminQuery(`DROP DATABASE "${cfg.database.replaceAll('"', '""')}"`);
    } else {
      throw Object.assign(new Error(`unsupported cli command ${cliCommand}`), { code: "UNSUPPORTED" });
    }
    process.exit(0);
  } catch (e) {
    log("ERROR", pgErrorToPrisma(e, cfg).message, pgErrorToPrisma(e, cfg));
    process.exit(1);
  }
}

// ---------- JSON-RPC mode
globalThis.PRISMA_WASM_PANIC_REGISTRY = {
  message: "",
  set_message(m) {
    this.message = `RuntimeError: ${m}`;
  },
  get() {
    return this.message;
  },
};
const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmPath)), { "./schema_engine_bg.js": runtime });
runtime.__wbg_set_wasm(instance.exports);
instance.exports.__wbindgen_start();

// adapter-pg 7.10.x rejects the internal Postgres type "char" (OID 18) that the engine's catalog
// queries return ("Column type 'char' could not be deserialized"): report it as ColumnTypeEnum.Character.
let patched = false;
const connected = [];
function patchAdapter(adapter) {
  connected.push(adapter);
  if (patched) return adapter;
  for (let p = Object.getPrototypeOf(adapter); p; p = Object.getPrototypeOf(p)) {
    if (Object.hasOwn(p, "queryRaw") && Object.hasOwn(p, "performIO")) {
      const origQueryRaw = p.queryRaw;
      const origPerformIO = p.performIO;
      p.queryRaw = async function (query) {
        const charCols = [];
        const self = Object.create(this);
        self.performIO = async (q) => {
          const res = await origPerformIO.call(this, q);
          res?.fields?.forEach((f, i) => {
            if (f.dataTypeID === 18) {
              f.dataTypeID = 25;
              charCols.push(i);
            }
          });
          return res;
        };
        const out = await origQueryRaw.call(self, query);
        for (const i of charCols) out.columnTypes[i] = 6; // ColumnTypeEnum.Character
        return out;
      };
      patched = true;
      break;
    }
  }
  // adapter-pg 7.10.x runs a script by splitting it on ';', which breaks dollar-quoted function
  // bodies (our NOTIFY triggers). PostgreSQL's simple query protocol runs a whole script at once.
  for (let p = Object.getPrototypeOf(adapter); p; p = Object.getPrototypeOf(p)) {
    if (Object.hasOwn(p, "executeScript")) {
      p.executeScript = async function (script) {
        try {
          await this.client.query(script);
        } catch (error) {
          this.onError(error);
        }
      };
      break;
    }
  }
  return adapter;
}

function makeAdapterFactory() {
  const cfg = pgConfig(datasource.url);
  // discrete fields, not connectionString: PrismaPg.connectToShadowDb() spreads {...config, database}
  // and pg lets connectionString override `database` (the shadow db would be the main db).
  const factory = new PrismaPg(cfg);
  const origConnect = factory.connect.bind(factory);
  factory.connect = async () => patchAdapter(await origConnect());
  factory.connectToShadowDb = async () => {
    if (datasource.shadowDatabaseUrl) return patchAdapter(await new PrismaPg(pgConfig(datasource.shadowDatabaseUrl)).connect());
    // adapter-pg 7.10.1 drops the temp db before closing its pool ("is being accessed by other users"): close first.
    const main = await origConnect();
    const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = await new PrismaPg({ ...cfg, database }).connect();
    const disposeShadow = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await disposeShadow();
      await main.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      await main.dispose();
    };
    return patchAdapter(shadow);
  };
  return bindMigrationAwareSqlAdapterFactory(factory);
}

let enginePromise;
function getEngine() {
  enginePromise ??= (async () => {
    if (!datasource?.url)
      throw Object.assign(new Error("The wasm schema-engine shim needs a datasource url (prisma.config.ts datasource.url)"), {
        code: "P1012",
      });
    const files = datamodels.map((f) => [f, fs.readFileSync(path.resolve(f), "utf8")]);
    return runtime.SchemaEngine.new({ datamodels: files.length ? files : undefined }, (m) => log("DEBUG", String(m)), makeAdapterFactory());
  })();
  return enginePromise;
}

const send = (msg) => process.stdout.write(JSON.stringify(msg) + "\n");
let nextOutId = 1_000_000;
const pendingOut = new Map();
const requestCli = (method, params) =>
  new Promise((resolve) => {
    const id = nextOutId++;
    pendingOut.set(id, resolve);
    send({ jsonrpc: "2.0", id, method, params });
  });

async function handle(method, params = {}) {
  const engine = await getEngine();
  switch (method) {
    case "getDatabaseVersion":
      return engine.version(params);
    case "diff": {
      const { stdout, ...rest } = await engine.diff(params);
      if (stdout) await requestCli("print", { content: stdout.replace(/\n$/, "") });
      return rest;
    }
    case "createDatabase": {
      const cfg = pgConfig(datasource.url);
      const c = new pg.Client({ ...cfg, database: "postgres" });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${cfg.database}"`);
      } finally {
        await c.end();
      }
      return { databaseName: cfg.database };
    }
    default:
      if (typeof engine[method] !== "function")
        throw Object.assign(new Error(`method ${method} is not supported by the wasm schema engine shim`), { code: "UNSUPPORTED" });
      return engine[method](params);
  }
}

function errorPayload(e) {
  const panic = globalThis.PRISMA_WASM_PANIC_REGISTRY.message;
  if (panic || e instanceof WebAssembly.RuntimeError) {
    return { code: 4466, message: "panic", data: { is_panic: true, message: panic || String(e?.message), backtrace: e?.stack } };
  }
  return {
    code: 4466,
    message: "An error happened. Check the data field for details.",
    data: { is_panic: false, message: String(e?.message ?? e), error_code: e?.code, meta: e?.meta ?? null },
  };
}

let queue = Promise.resolve(); // the native engine handles requests one at a time
readline
  .createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on("line", (line) => {
    if (!line.trim()) return;
    const msg = JSON.parse(line);
    if (msg.method === undefined && pendingOut.has(msg.id)) {
      pendingOut.get(msg.id)(msg.result);
      pendingOut.delete(msg.id);
      return;
    }
    queue = queue.then(async () => {
      try {
        const result = await handle(msg.method, msg.params);
        send({ jsonrpc: "2.0", id: msg.id, result: result ?? {} });
      } catch (e) {
        send({ jsonrpc: "2.0", id: msg.id, error: errorPayload(e) });
      }
    });
  })
  .on("close", async () => {
    await queue;
    await Promise.allSettled(connected.map((a) => a.dispose?.()));
    process.exit(0); // the wasm engine leaves a pending timer behind
  });
process.on("uncaughtException", (e) => {
  log("ERROR", `${globalThis.PRISMA_WASM_PANIC_REGISTRY.message || e?.message}`, { is_panic: true });
  process.exit(101);
});
process.on("SIGTERM", () => process.exit(0));
