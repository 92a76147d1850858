// What is live, on every page: the history's Live badge moves to a rollback, the stage header and
// the pipeline card say "Live: #3 (release of #1)", a build that is not live says so, and the
// rollback dialog says what changes and what is lost before its reason is stored and audited.
import { expect, test } from "@playwright/test";
import { deployAndWait, fn, tokenApi } from "./fixtures";

const app = `live-${Date.now().toString(36)}`;
const HISTORY = `/apps/${app}/stages/prod`;
const bucket = { Bucket: { Type: "AWS::S3::Bucket" }, Topic: { Type: "AWS::SNS::Topic" } };

test.beforeAll(async ({ playwright }, info) => {
  const api = await tokenApi(playwright, info);
  expect((await api.post("/api/apps", { data: { name: app, stages: [{ name: "prod" }] } })).status()).toBe(201);
  await deployAndWait(api, app, "prod", "First release", [{ name: "api", template: fn(1) }]);
  await deployAndWait(api, app, "prod", "Add the purchase jobs", [
    { name: "api", template: fn(2) },
    { name: "jobs", template: fn(1, bucket) },
  ]);
  await api.dispose();
});

test("after a rollback the Live badge, the header, the pipeline and the build pages all say what runs", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto(HISTORY);
  const rows = page.getByTestId("build-history").getByRole("row");
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId("live-badge")).toHaveCount(1);
  await expect(page.locator('[data-build="2"]').getByTestId("live-badge")).toBeVisible();
  await expect(page.getByTestId("live-summary")).toHaveText("Live: #2");

  await page.getByRole("button", { name: "Roll back prod to #1" }).click();
  const dialog = page.getByRole("dialog", { name: "Roll back prod: #2 → #1" });
  await expect(dialog).toBeVisible();
  // what changes and what is lost, before anything runs
  await expect(dialog.getByTestId("commits-undone")).toContainText("Add the purchase jobs");
  await expect(dialog.getByTestId("commits-undone")).toContainText("Maya Chen");
  await expect(dialog.locator('[data-service="api"] [data-testid="from-to"]')).toHaveText("#2 → #1");
  await expect(dialog.locator('[data-service="jobs"] [data-testid="from-to"]')).toHaveText("#2 → removed");
  await expect(dialog.getByTestId("rollback-destructive")).toContainText(
    "jobs will be deleted: S3 bucket Bucket, Lambda function Fn, SNS topic Topic; data is not restored",
  );
  await dialog.locator('[data-service="api"] summary').click();
  await expect(dialog.locator('[data-service="api"] [data-change="modified"]')).toContainText("Fn");
  await dialog.getByLabel(/^Reason/).fill("Purchases fail since the jobs went out");
  await dialog.getByRole("button", { name: "Confirm rollback" }).click();

  await expect(page).toHaveURL(new RegExp(`${HISTORY}/builds/3$`));
  const header = page.locator("header").filter({ has: page.getByRole("heading", { name: "Build #3" }) });
  await expect(header.locator("span[data-status]").first()).toHaveAttribute("data-status", "success", { timeout: 30_000 });
  await expect(header.getByTestId("live-badge")).toBeVisible();
  await expect(page.getByTestId("build-reason")).toHaveText("Reason: Purchases fail since the jobs went out");

  await page.goto(HISTORY);
  await expect(page.getByTestId("live-badge")).toHaveCount(1);
  await expect(page.locator('[data-build="3"]').getByTestId("live-badge")).toBeVisible();
  await expect(page.getByTestId("live-summary")).toHaveText("Live: #3 (release of #1)");
  await expect(page.locator('[data-build="3"]').getByTestId("build-reason")).toHaveText("Reason: Purchases fail since the jobs went out");

  // the builds that are not live say which one is
  await page.goto(`${HISTORY}/builds/2`);
  await expect(page.getByTestId("not-live")).toHaveText("Not live · live is #3 (release of #1)");
  await page.getByTestId("not-live").getByRole("link", { name: "#3" }).click();
  await expect(page).toHaveURL(new RegExp(`${HISTORY}/builds/3$`));

  await page.goto(`/apps/${app}`);
  await expect(page.locator("[data-stage=prod]").getByTestId("live-summary")).toHaveText("Live: #3 (release of #1)");

  // the audit has the reason, and its target is a link to the build
  await page.goto(`/apps/${app}/audit`);
  // the rollback's end pinned the stage: that is the newest event, the rollback just before it
  await expect(page.getByTestId("audit-event").first()).toHaveAttribute("data-action", "stage.pin");
  const newest = page.locator('[data-testid="audit-event"][data-action="rollback"]').first();
  await expect(newest).toContainText("reason: Purchases fail since the jobs went out");
  await newest.getByRole("link", { name: "prod #3" }).click();
  await expect(page).toHaveURL(new RegExp(`${HISTORY}/builds/3$`));
});
