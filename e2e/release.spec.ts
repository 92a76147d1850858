// The release flow in real Chromium. The demo shows a promote in prod's history and dev pinned
// after its rollback. Then, on an app of its own (other specs roll the demo's prod back), a build
// of dev is promoted to prod from its page ("Promoted from dev #1"), prod is rolled back and shows
// the pin banner, and Unpin clears it.
import { expect, test } from "@playwright/test";
import { deployAndWait, fn } from "./fixtures";

test("the demo shows a promote in prod's history and dev pinned after a rollback", async ({ page }) => {
  await page.goto("/apps/notes");
  await expect(page.locator('[data-stage="dev"]').getByTestId("stage-pinned")).toHaveText("Pinned to #3 after a rollback");
  await page.goto("/apps/notes/stages/prod");
  await expect(page.locator('[data-build="12"]')).toContainText("Promoted from dev #3");
  await page.goto("/apps/notes/stages/dev");
  await expect(page.getByTestId("pin-banner")).toContainText("Pinned to #3 after a rollback by lena@example.com");
  await expect(page.getByTestId("pin-banner")).toContainText("Reason: Purchases fail on dev since #4");
});

test("promote dev to prod from the build page, roll prod back, see the pin, unpin", async ({ page, request }) => {
  test.setTimeout(90_000);
  const app = `release-${Date.now().toString(36)}`;
  const created = await request.post("/api/apps", { data: { name: app, stages: [{ name: "dev" }, { name: "prod" }] } });
  expect(created.status(), await created.text()).toBe(201);
  await deployAndWait(request, app, "prod", "First release", [{ name: "api", template: fn(1) }]);
  await deployAndWait(request, app, "dev", "Search notes by title", [
    { name: "api", template: fn(2, { Index: { Type: "AWS::SSM::Parameter", Properties: { Name: "/i", Type: "String", Value: "t" } } }) },
  ]);

  // promote: the plan shows the service and the resource it adds
  await page.goto(`/apps/${app}/stages/dev/builds/1`);
  await page.getByRole("button", { name: "Promote to prod from dev #1" }).click();
  const dialog = page.getByRole("dialog", { name: "Promote dev #1 to prod" });
  const step = dialog.getByTestId("promote-plan").locator('li[data-service="api"]');
  await expect(step).toHaveAttribute("data-action", "update");
  await step.getByText("Resources of api: 1 added, 1 modified").click();
  await expect(step.locator('[data-change="added"]')).toContainText("Index");
  await dialog.getByRole("button", { name: "Promote to prod" }).click();
  await expect(page).toHaveURL(new RegExp(`/apps/${app}/stages/prod/builds/2$`));
  const header = page.locator("header").filter({ has: page.getByRole("heading", { level: 1 }) });
  await expect(header.getByText("Promoted from dev #1")).toBeVisible();
  await expect(header.locator("span[data-status]").first()).toHaveAttribute("data-status", "success", { timeout: 30_000 });
  await page.goto(`/apps/${app}/stages/prod`);
  await expect(page.locator('[data-build="2"]')).toContainText("Promoted from dev #1");

  // roll prod back to #1: the rollback pins prod
  await page.locator('[data-build="1"]').getByRole("button", { name: "Roll back prod to #1" }).click();
  await page.getByRole("dialog", { name: "Roll back prod: #2 → #1" }).getByRole("button", { name: "Confirm rollback" }).click();
  await expect(page).toHaveURL(new RegExp(`/apps/${app}/stages/prod/builds/3$`));
  await expect(header.locator("span[data-status]").first()).toHaveAttribute("data-status", "success", { timeout: 30_000 });
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "prod" }).click();
  const banner = page.getByTestId("pin-banner");
  await expect(banner).toContainText("Pinned to #1 after a rollback by admin@sprout.local");
  await expect(banner).toContainText("(build #3)");
  // a deploy through the API is refused while pinned, with the reason
  const refused = await request.post(`/api/apps/${app}/stages/prod/builds`, {
    data: { commit: { sha: "abcdef1234567", message: "during the incident" }, services: [{ name: "api", template: fn(3) }] },
  });
  expect(refused.status()).toBe(423);

  await banner.getByRole("button", { name: "Unpin" }).click();
  await expect(banner).toHaveCount(0);
  const { stage } = (await (await request.get(`/api/apps/${app}/stages/prod`)).json()) as { stage: { pinned: unknown } };
  expect(stage.pinned).toBeNull();
});
