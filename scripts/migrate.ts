// Brings a database up to date: Prisma's migrations, then graphile-worker's own schema (the build
// queue). Used by `npm start`, the test setup and the benchmarks.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { Logger, runMigrations } from "graphile-worker";

export async function migrate(databaseUrl: string): Promise<void> {
  const prismaCli = path.resolve("node_modules/prisma/build/index.js");
  try {
    execFileSync(process.execPath, [prismaCli, "migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: "pipe",
    });
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`prisma migrate deploy failed:\n${err.stdout ?? ""}${err.stderr ?? ""}`);
  }
  // graphile-worker logs every migration at info level; keep start-up output to what matters
  await runMigrations({ connectionString: databaseUrl, logger: new Logger(() => () => {}) });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  await migrate(url);
  console.log("migrated");
}
