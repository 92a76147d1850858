// Navigation shows the next page's skeleton only when it is slow: a click whose page takes long
// shows a progress bar and the skeleton first; a click to a page the browser already has goes
// straight to it.
import { expect, test, type Page } from "@playwright/test";

/** Records, in the page, whether the navigation skeleton ever appears from now on. */
const watchSkeleton = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __skeleton: boolean };
    w.__skeleton = false;
    new MutationObserver(() => {
      if (document.querySelector("[data-testid=navigation-skeleton]")) w.__skeleton = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
const sawSkeleton = (page: Page) => page.evaluate(() => (window as unknown as { __skeleton: boolean }).__skeleton);

test("a slow navigation shows the skeleton until the page is there; a fast one shows none", async ({ page }) => {
  await page.goto("/apps/notes/stages/prod");
  // the build page's server render, held back 800 ms
  await page.route(/\/builds\/5\?_rsc=/, async (route) => {
    await new Promise((r) => setTimeout(r, 800));
    await route.continue();
  });
  await page.locator('[data-build="5"] a[data-row-link]').click();
  await expect(page.getByTestId("navigation-skeleton")).toBeVisible();
  await expect(page.getByTestId("navigation-progress")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Build #5");
  await expect(page.getByTestId("navigation-skeleton")).toHaveCount(0);

  // the history is in the router cache: the click shows it at once
  await watchSkeleton(page);
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "prod" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("prod");
  expect(await sawSkeleton(page)).toBe(false);
});
