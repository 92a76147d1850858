// Test databases: a real PostgreSQL, never a mock. TEST_DATABASE_URL names a server the tests may
// create databases on (CI: the machine's PostgreSQL 15); without it an embedded PostgreSQL under
// .data/test is started. Each test file gets its own database, cloned from a migrated template.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type TEmbeddedPostgres } from "@/scripts/embedded-postgres";
import { migrate } from "@/scripts/migrate";

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The server to test against, and how to stop it when it was started here. */
export async function testServer(): Promise<{ url: string; embedded: TEmbeddedPostgres | null }> {
  if (process.env.TEST_DATABASE_URL) return { url: process.env.TEST_DATABASE_URL, embedded: null };
  const embedded = await startEmbeddedPostgres({ dataDir: ".data/test", database: "postgres" });
  return { url: embedded.url, embedded };
}

/** A migrated template database, rebuilt when the migrations change. Returns its name. */
export async function migratedTemplate(serverUrl: string, prefix: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  const dir = path.resolve("prisma/migrations");
  for (const m of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, m, "migration.sql");
    if (fs.existsSync(file)) hash.update(fs.readFileSync(file));
  }
  const name = `${prefix}_tpl_${hash.digest("hex").slice(0, 10)}`;
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return name;
    await client.query(`CREATE DATABASE "${name}_tmp"`).catch(async () => {
      await client.query(`DROP DATABASE "${name}_tmp" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${name}_tmp"`);
    });
    await migrate(withDatabase(serverUrl, `${name}_tmp`));
    // rename only once complete, so that a half-migrated template is never used
    await client.query(`ALTER DATABASE "${name}_tmp" RENAME TO "${name}"`);
    return name;
  } finally {
    await client.end();
  }
}

export async function createDatabaseFrom(serverUrl: string, template: string, prefix: string): Promise<string> {
  const name = `${prefix}_${crypto.randomBytes(5).toString("hex")}`;
  await adminQuery(serverUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  return withDatabase(serverUrl, name);
}

export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await adminQuery(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
