// The seed's walkthrough on the demo data, in real Chromium: open notes, click prod, see the
// history, press Rollback on the newest older successful build, read the plan (notify-job before
// billing-api), confirm, land on the new build, watch it run live to success, go back to the
// history and see "Rollback to #N" on top.
import { expect, test } from "@playwright/test";
import type { TBuildPage, TBuildView } from "@/lib/core/contracts";

test("roll prod back to the newest older successful build and watch it", async ({ page, request }) => {
  test.setTimeout(90_000);
  await page.goto("/");
  await page.locator('a[href="/apps/notes"]').click();
  await page.locator('a[href="/apps/notes/stages/prod"]').click();
  const rows = page.getByTestId("build-history").getByRole("row");
  await expect(rows.first()).toBeVisible();

  const { builds } = (await (await request.get("/api/apps/notes/stages/prod/builds")).json()) as TBuildPage;
  const live = builds[0]!;
  const target = builds.find((b) => b.number < live.number && b.status === "success" && b.rollback.eligible)!;
  expect(target, "the demo has an older successful build").toBeTruthy();
  // the live build cannot be rolled back to, and says why instead of doing nothing
  const liveRow = page.locator(`[data-build="${live.number}"]`);
  await liveRow.getByRole("button", { name: `Roll back prod to #${live.number}` }).click({ force: true }); // aria-disabled: Playwright would wait for it to be enabled
  await expect(liveRow.getByRole("status")).toHaveText(live.rollback.reason!);

  const row = page.locator(`[data-build="${target.number}"]`);
  await row.getByRole("button", { name: `Roll back prod to #${target.number}` }).click();
  const dialog = page.getByRole("dialog", { name: `Roll back prod: #${live.number} → #${target.number}` });
  const plan = dialog.getByTestId("rollback-plan").locator("li");
  await expect(plan.first()).toBeVisible();
  const order = await plan.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.service));
  expect(order).toContain("notify-job");
  expect(order.indexOf("notify-job")).toBeLessThan(order.indexOf("billing-api"));

  await dialog.getByRole("button", { name: "Confirm rollback" }).click();
  await expect(page).toHaveURL(new RegExp(`/apps/notes/stages/prod/builds/${live.number + 1}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Build #${live.number + 1}`);
  const header = page.locator("header").filter({ has: page.getByRole("heading", { level: 1 }) });
  await expect(header.getByText(`Rollback to #${target.number}`)).toBeVisible();
  // it runs live: notify-job runs before billing-api starts, then the build succeeds
  await expect(page.locator('li[data-step="notify-job"]')).toHaveAttribute("data-status", /running|success/, { timeout: 20_000 });
  await expect(page.locator('li[data-step="billing-api"]')).toHaveAttribute("data-status", /pending|running|success/);
  await expect(header.locator("span[data-status]").first()).toHaveAttribute("data-status", "success", { timeout: 60_000 });
  await expect(page.locator("li[data-step]").and(page.locator('[data-status="failed"]'))).toHaveCount(0);
  // the reverse of the deployment: billing-api started only once notify-job had finished
  const { build: ran } = (await (await request.get(`/api/apps/notes/stages/prod/builds/${live.number + 1}`)).json()) as {
    build: TBuildView;
  };
  const step = (service: string) => ran.steps.find((s) => s.service === service)!;
  expect(Date.parse(step("billing-api").startedAt!)).toBeGreaterThanOrEqual(Date.parse(step("notify-job").finishedAt!));

  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "prod" }).click();
  await expect(page).toHaveURL(/\/apps\/notes\/stages\/prod$/);
  await expect(rows.first()).toHaveAttribute("data-build", String(live.number + 1));
  await expect(rows.first()).toContainText(`Rollback to #${target.number}`);
  await expect(rows.first().locator("span[data-status]").first()).toHaveAttribute("data-status", "success");
  // and the target now says which build rolled back to it
  await page.goto(`/apps/notes/stages/prod/builds/${target.number}`);
  await expect(page.getByTestId("rolled-back-by")).toContainText(`#${live.number + 1}`);
});
