import fs from "node:fs";
import { chromium, defineConfig, devices } from "@playwright/test";
import { STORAGE_STATE } from "./e2e/auth-files";

const port = Number(process.env.E2E_PORT ?? 3100);

// Playwright's own Chromium when it is installed, else the system's.
function executablePath(): string | undefined {
  try {
    if (fs.existsSync(chromium.executablePath())) return undefined;
  } catch {
    // no browser downloaded for this Playwright version
  }
  return "/usr/bin/chromium";
}

export default defineConfig({
  testDir: "e2e",
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: process.env.CI ? 1 : 2,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "on-first-retry",
    // the instance admin's session (global-setup.ts): pages and API calls are signed in
    storageState: STORAGE_STATE,
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: executablePath(),
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
  webServer: {
    // a fresh database with the demo, then `next start` and the worker on it (e2e/serve.ts)
    command: "node --conditions=react-server --import tsx e2e/serve.ts",
    url: `http://127.0.0.1:${port}/api/apps`,
    env: { E2E_PORT: String(port) },
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    // serve.ts stops the web server and the worker, then drops its database
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
