import fs from "node:fs";
import { request, type FullConfig } from "@playwright/test";
import { assertLocalDatabase } from "./assert-local-database";
import { readE2eAuth, STORAGE_STATE } from "./auth-files";

// Playwright starts the web server (e2e/serve.ts, which checks too) before this runs; this refuses
// the run if the database it ended up on is not local, then signs in as the instance admin through
// the sign-in API and saves the session: playwright.config.ts makes it every spec's default, so
// their `page` and `request` are signed in.
export default async function globalSetup(config: FullConfig) {
  assertLocalDatabase(process.env.TEST_DATABASE_URL, "TEST_DATABASE_URL");
  assertLocalDatabase(process.env.DATABASE_URL, "DATABASE_URL");
  const file = ".data/e2e-database-url";
  if (fs.existsSync(file)) assertLocalDatabase(fs.readFileSync(file, "utf8").trim(), file);

  const baseURL = config.projects[0]!.use.baseURL!;
  const { email, password } = readE2eAuth();
  const api = await request.newContext({ baseURL });
  const res = await api.post("/api/auth/sign-in/email", { data: { email, password } });
  if (!res.ok()) throw new Error(`e2e sign-in as ${email} failed: ${res.status()} ${await res.text()}`);
  await api.storageState({ path: STORAGE_STATE });
  await api.dispose();
}
