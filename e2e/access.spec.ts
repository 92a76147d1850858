// Access control in the browser: a signed-out visit lands on the sign-in page; a viewer sees
// Rollback disabled with the reason (and the API refuses them); a deployer rolls back, and the
// build and the audit page name them. Its own app (made with the bootstrap token), so that other
// specs rolling back the demo never race it.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { actorLabel, ENDPOINT_ADMIN_ONLY } from "@/lib/core/roles";
import { readE2eAuth } from "./auth-files";

const app = `access-${Date.now().toString(36)}`;
const HISTORY = `/apps/${app}/stages/prod`;
const users = { viewer: `viewer@${app}.test`, deployer: `deployer@${app}.test`, admin: `admin@${app}.test` };
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
  const stages = [{ name: "staging", requireApproval: true }, { name: "prod" }];
  expect((await api.post("/api/apps", { data: { name: app, stages } })).status()).toBe(201);
  await deployAndWait(api, 1);
  await deployAndWait(api, 2);
  for (const [role, email] of Object.entries(users)) {
    const res = await api.post(`/api/apps/${app}/members`, { data: { email, role } });
    expect(res.status()).toBe(201);
    passwords[email] = ((await res.json()) as { password: string }).password;
  }
  // settings changes the audit links to the stage's settings (targets "prod api", "prod API_URL")
  expect((await api.put(`/api/apps/${app}/stages/prod/parameters/api`, { data: { parameters: { Size: "2" } } })).status()).toBe(200);
  expect((await api.put(`/api/apps/${app}/stages/prod/variables/API_URL`, { data: { value: "https://x.test" } })).status()).toBe(200);
  // staging needs approval: this deploy waits for a deployer other than the token that queued it
  const held = await api.post(`/api/apps/${app}/stages/staging/builds`, {
    data: { commit: { sha: "a".repeat(7), message: "v1" }, services: [{ name: "api", template: svc(1) }] },
  });
  expect(held.status(), await held.text()).toBe(201);
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

  test("an app admin: the endpoint is disabled with the reason; the audit links settings changes to the stage's settings", async ({
    page,
  }) => {
    await signInOnTheWay(page, `${HISTORY}/settings`, users.admin);
    const endpoint = page.getByRole("textbox", { name: "Endpoint", exact: true });
    await expect(endpoint).toBeDisabled();
    await expect(endpoint).toHaveAccessibleDescription(ENDPOINT_ADMIN_ONLY);
    await expect(page.getByText(ENDPOINT_ADMIN_ONLY)).toBeVisible();
    // only the endpoint: the rest of the target is theirs to change
    await expect(page.getByRole("textbox", { name: "Region", exact: true })).toBeEnabled();

    await page.goto(`/apps/${app}/audit`);
    const parameters = page.locator('[data-testid="audit-event"][data-action="stage.parameters"]');
    await parameters.getByRole("link", { name: "prod api" }).click();
    await expect(page).toHaveURL(new RegExp(`${HISTORY}/settings#templates-title$`));
    await expect(page.getByRole("heading", { level: 1, name: "prod" })).toBeVisible();
    await page.goBack();
    await page.locator('[data-testid="audit-event"][data-action="variable.set"]').getByRole("link", { name: "prod API_URL" }).click();
    await expect(page).toHaveURL(new RegExp(`${HISTORY}/settings#variables-title$`));
    await expect(page.getByTestId("variables")).toContainText("API_URL");
  });

  test("a deployer approves a build another queued: it says who queued it, then runs", async ({ page }) => {
    await signInOnTheWay(page, `/apps/${app}/stages/staging/builds/1`, users.deployer);
    const panel = page.getByTestId("approval");
    await expect(panel).toContainText(`Waiting for approval (queued by ${actorLabel("token:bootstrap")})`);
    await panel.getByRole("button", { name: "Approve" }).click();
    await expect(panel).toHaveCount(0);
    const header = page.locator("header").filter({ has: page.getByRole("heading", { name: "Build #1" }) });
    await expect(header.locator("span[data-status]").first()).toHaveAttribute("data-status", "success", { timeout: 30_000 });
    await expect(page.getByTestId("approved-by")).toHaveText(`approved by ${users.deployer}`);
  });
});
