// At a phone's width (390 px): no page scrolls sideways as a whole; the pipeline stacks, the
// dependency graph is a list, the services table scrolls inside its card, the account menu and a
// back link replace what does not fit, and history rows are two lines with 44 px tap targets.
import { expect, test, type Page } from "@playwright/test";

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

const PAGES = [
  "/",
  "/apps/notes",
  "/apps/notes/stages/prod",
  "/apps/notes/stages/prod/builds/1",
  "/apps/notes/stages/prod/builds/13",
  "/apps/notes/stages/prod/settings",
  "/apps/notes/audit",
  "/apps/notes/settings",
  "/account",
  "/apps/notes/stages/prod/builds/999",
];

const overflow = (page: Page) =>
  page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth }));

test("no page scrolls sideways as a whole", async ({ page }) => {
  for (const path of PAGES) {
    await page.goto(path);
    await expect(page.locator("h1").first()).toBeVisible();
    const { scroll, width } = await overflow(page);
    expect(scroll, `${path} is ${scroll} px wide in a ${width} px window`).toBeLessThanOrEqual(width);
  }
});

test("the app page: the pipeline stacks, the graph is a list, the services table scrolls in its card", async ({ page }) => {
  await page.goto("/apps/notes");
  const [dev, prod] = [await page.locator("[data-stage=dev]").boundingBox(), await page.locator("[data-stage=prod]").boundingBox()];
  expect(prod!.y).toBeGreaterThan(dev!.y + dev!.height - 1);
  expect(Math.abs(prod!.x - dev!.x)).toBeLessThan(1);
  await expect(page.getByRole("img", { name: /^Service dependencies/ })).toBeHidden();
  await expect(page.getByTestId("dependency-list")).toBeVisible();
  await expect(
    page
      .getByTestId("dependency-list")
      .locator("li")
      .filter({ hasText: /^notify-job after / }),
  ).toBeVisible();
  const table = page.getByTestId("services-table-scroll");
  expect(await table.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
});

test("the account menu is reachable, and the breadcrumb is a back link", async ({ page }) => {
  await page.goto("/apps/notes/stages/prod/builds/1");
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toBeHidden();
  const back = page.getByTestId("back-link");
  await expect(back).toHaveText("←Back to prod");
  await page.getByRole("button", { name: /^Account/ }).click();
  await page.getByRole("link", { name: "Your account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await page.goBack();
  await back.click();
  await expect(page).toHaveURL(/\/apps\/notes\/stages\/prod$/);
});

test("history rows take two lines, and their tap targets are 44 px at least", async ({ page }) => {
  await page.goto("/apps/notes/stages/prod");
  const rows = page.getByTestId("build-history").getByRole("row");
  await expect(rows.first()).toBeVisible();
  for (let i = 0; i < 5; i++) {
    const row = rows.nth(i);
    const box = (await row.boundingBox())!;
    const build = (await row.locator("a[data-row-link]").boundingBox())!;
    const commit = (await row.getByTestId("commit-message").boundingBox())!;
    expect(commit.y, "the commit is on the second line").toBeGreaterThan(build.y + build.height - 2);
    expect(box.height, "two lines, not more").toBeLessThan(100);
    expect(box.height).toBeGreaterThanOrEqual(44);
    const button = row.getByRole("button");
    expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  }
});
