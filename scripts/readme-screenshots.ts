// The README's screenshots, taken in Chromium from the demo: docs/screenshot.png (prod's history,
// with what is live) and docs/rollback-plan.png (the rollback dialog to #12).
// Run: npm run docs:screenshots (a fresh database on TEST_DATABASE_URL's server, else embedded).
import fs from "node:fs";
import { chromium, request } from "@playwright/test";
import { startWeb, stopProcess, withBenchDatabase } from "@/bench/support";

function chromiumPath(): string | undefined {
  try {
    if (fs.existsSync(chromium.executablePath())) return undefined;
  } catch {}
  return "/usr/bin/chromium";
}

await withBenchDatabase("sprout_shots", false, async (url) => {
  process.env.DATABASE_URL = url;
  const { loadDemo } = await import("@/prisma/demo");
  await loadDemo();
  const { setupFirstAdmin, generatePassword, DEMO_ADMIN_EMAIL } = await import("@/lib/server/auth/users");
  const admin = { email: DEMO_ADMIN_EMAIL, password: generatePassword() };
  await setupFirstAdmin(admin);
  const { child, base } = await startWeb(url, { warnStale: true });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const api = await request.newContext({ baseURL: base });
    if (!(await api.post("/api/auth/sign-in/email", { data: admin })).ok()) throw new Error("sign-in failed");
    const context = await browser.newContext({
      baseURL: base,
      storageState: await api.storageState(),
      viewport: { width: 1280, height: 800 },
      colorScheme: "light",
    });
    const page = await context.newPage();
    await page.goto("/apps/notes/stages/prod");
    await page.getByTestId("live-badge").waitFor();
    await page.screenshot({ path: "docs/screenshot.png" });

    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.getByRole("button", { name: "Roll back prod to #12" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByTestId("rollback-plan").waitFor();
    await dialog.locator('[data-service="analytics-job"] summary').click();
    await dialog.getByLabel(/^Reason/).fill("Purchases fail since #13");
    await dialog.getByRole("button", { name: "Cancel" }).focus();
    await dialog.getByTestId("rollback-destructive").evaluate((el) => el.parentElement!.scrollTo(0, 0));
    await page.screenshot({ path: "docs/rollback-plan.png" });
    await api.dispose();
    console.log("wrote docs/screenshot.png and docs/rollback-plan.png");
  } finally {
    await browser.close();
    await stopProcess(child, 5_000);
    const { db } = await import("@/lib/server/db");
    await db.$disconnect();
  }
});
