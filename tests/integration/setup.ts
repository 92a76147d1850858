// Runs before each integration test file: a database of its own, cloned from the migrated template.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, inject } from "vitest";
import { createDatabaseFrom, dropDatabase } from "../support/database";

const url = await createDatabaseFrom(inject("serverUrl"), inject("template"), "sprout_it");
process.env.DATABASE_URL = url;
// mirrors, workspaces and build homes of this file's builds: apart from other files' (and their workers' clean-ups)
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sprout-it-data-"));
process.env.SPROUT_DATA_DIR = dataDir;
// secrets at rest are sealed with this key in the tests (npm start generates one into .data/)
process.env.SPROUT_SECRET_KEY ??= "5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7";

afterAll(async () => {
  const { db } = await import("@/lib/server/db");
  await db.$disconnect();
  await dropDatabase(url);
  fs.rmSync(dataDir, { recursive: true, force: true });
});
