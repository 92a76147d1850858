// Runs before each integration test file: a database of its own, cloned from the migrated template.
import { afterAll, inject } from "vitest";
import { createDatabaseFrom, dropDatabase } from "../support/database";

const url = await createDatabaseFrom(inject("serverUrl"), inject("template"), "sprout_it");
process.env.DATABASE_URL = url;
// secrets at rest are sealed with this key in the tests (npm start generates one into .data/)
process.env.SPROUT_SECRET_KEY ??= "5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7";

afterAll(async () => {
  const { db } = await import("@/lib/server/db");
  await db.$disconnect();
  await dropDatabase(url);
});
