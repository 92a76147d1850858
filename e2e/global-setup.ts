import fs from "node:fs";
import { assertLocalDatabase } from "./assert-local-database";

// Playwright starts the web server (e2e/serve.ts, which checks too) before this runs; this refuses
// the run if the database it ended up on is not local.
export default function globalSetup() {
  assertLocalDatabase(process.env.TEST_DATABASE_URL, "TEST_DATABASE_URL");
  assertLocalDatabase(process.env.DATABASE_URL, "DATABASE_URL");
  const file = ".data/e2e-database-url";
  if (fs.existsSync(file)) assertLocalDatabase(fs.readFileSync(file, "utf8").trim(), file);
}
