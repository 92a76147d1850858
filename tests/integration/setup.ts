// Runs before each integration test file: a database of its own, cloned from the migrated template.
import { afterAll, inject } from "vitest";
import { createDatabaseFrom, dropDatabase } from "../support/database";

const url = await createDatabaseFrom(inject("serverUrl"), inject("template"), "sprout_it");
process.env.DATABASE_URL = url;

afterAll(async () => {
  const { db } = await import("@/lib/server/db");
  await db.$disconnect();
  await dropDatabase(url);
});
