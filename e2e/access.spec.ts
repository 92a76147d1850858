// Access control in the browser: a signed-out visit lands on the sign-in page; a viewer sees
// Rollback disabled with the reason (and the API refuses them); a deployer rolls back, and the
// build and the audit page name them. Its own app (made with the bootstrap token), so that other
// specs rolling back the demo never race it.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { readE2eAuth } from "./auth-files";

const app = `access-${Date.now().toString(36)}`;
const HISTORY = `/apps/${app}/stages/prod`;
const users = { viewer: `viewer@${app}.test`, deployer: `deployer@${app}.test` };
const passwords: Record<string, string> = {};

const svc = (version: number) => ({
  Metadata: { Sprout: { deploySeconds: 0.2 } },
  Resources: {
    Fn: { Type: "AWS::Lambda::Function", Properties: { Handler: "index.main", Runtime: "nodejs20.x", Description: `v${version}` } },
  },
});

async function deployAndWait(api: APIRequestContext, version: number) {
  const sha = String(version).repeat(7);
  const res = await api.post(`/api/apps/${app}/stages/prod/builds`, {
    data: { commit: { sha, message: `v${version}` }, services: [{ name: "api", template: svc(version) }] },
  });
  expect(res.status()).toBe(201);
  const { build } = (await res.json()) as { build: { number: number } };
  await expect
    .poll(
      async () =>
        ((await (await api.get(`/api/apps/${app}/stages/prod/builds/${build.number}`)).json()) as { build: { status: string } }).build
          .status,
      { timeout: 20_000 },
    )
    .toBe("success");
}

test.beforeAll(async ({ playwright }, info) => {
  // scripts use the bootstrap token: no session, no Origin
  const api = await playwright.request.newContext({
    baseURL: info.project.use.baseURL,
    storageState: { cookies: [], origins: [] },
    extraHTTPHeaders: { authorization: `Bearer ${readE2eAuth().token}` },
  });
  expect((await api.post("/api/apps", { data: { name: app, stages: [{ name: "prod" }] } })).status()).toBe(201);
  await deployAndWait(api, 1);
  await deployAndWait(api, 2);
  for (const [role, email] of Object.entries(users)) {
    const res = await api.post(`/api/apps/${app}/members`, { data: { email, role } });
    expect(res.status()).toBe(201);
    passwords[email] = ((await res.json()) as { password: string }).password;
  }
  await api.dispose();
});

// Signed out (no saved session), sign in through the form on the way to `path`.
async function signInOnTheWay(page: Page, path: string, email: string) {
  await page.goto(path);
  await expect(page).toHaveURL(new RegExp(`/sign-in\\?next=${encodeURIComponent(path).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(passwords[email]!);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
}

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a page visit lands on the sign-in page; the API answers 401", async ({ page, request }) => {
    await page.goto("/apps/notes");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fapps%2Fnotes$/);
    await expect(page.getByRole("heading", { name: "Sign in to Sprout" })).toBeVisible();
    const res = await request.get("/api/apps/notes");
    expect(res.status()).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^Sign in or send an API token/);
  });

  test("a viewer sees Rollback disabled with the reason, and the API refuses them", async ({ page }) => {
    await signInOnTheWay(page, HISTORY, users.viewer);
    const row = page.locator('[data-build="1"]');
    const rollback = row.getByRole("button", { name: "Roll back prod to #1" });
    await expect(rollback).toHaveAttribute("aria-disabled", "true");
    const why = `Your role on ${app} is viewer: rollback needs deployer`;
    await expect(rollback).toHaveAttribute("title", why);
    // aria-disabled: Playwright will not click it; a keyboard user presses it and reads why (once the page's script runs)
    await expect(rollback).toHaveAttribute("data-hydrated", "");
    await rollback.focus();
    await page.keyboard.press("Enter");
    await expect(row.getByRole("status")).toHaveText(why);
    await expect(page.getByRole("dialog")).toHaveCount(0);
    // the server refuses anyway (the session cookie, as the page has it)
    const res = await page.request.post(`/api/apps/${app}/stages/prod/builds/1/rollback`);
    expect(res.status()).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      `Your role on ${app} is viewer; rolling back needs deployer.`,
    );
  });

  test("a deployer rolls back; the build and the audit page name them", async ({ page }) => {
    await signInOnTheWay(page, HISTORY, users.deployer);
    await page.locator('[data-build="1"]').getByRole("button", { name: "Roll back prod to #1" }).click();
    const dialog = page.getByRole("dialog", { name: "Roll back prod: #2 → #1" });
    await dialog.getByRole("button", { name: "Confirm rollback" }).click();
    await expect(page).toHaveURL(new RegExp(`${HISTORY}/builds/3$`));
    await expect(page.getByTestId("triggered-by")).toHaveText(users.deployer);
    const header = page.locator("header").filter({ has: page.getByRole("heading", { name: "Build #3" }) });
    await expect(header.locator("span[data-status]").first()).toHaveAttribute("data-status", "success", { timeout: 30_000 });

    await page.goto(`/apps/${app}/audit`);
    // the rollback's end pinned the stage: that is the newest event, the rollback just before it
    await expect(page.getByTestId("audit-event").first()).toHaveAttribute("data-action", "stage.pin");
    const newest = page.locator('[data-testid="audit-event"][data-action="rollback"]').first();
    await expect(newest).toContainText(users.deployer);
    await expect(newest).toContainText("prod #3");
    await expect(newest).toContainText("to #1");
  });
});
