// axe-core on every page and in the open rollback and deploy dialogs: no serious or critical violation. Each
// page's full result (every impact) is attached to the test, so the report shows what is left.
import { expect, test, type Page } from "@playwright/test";
import type { TBuildPage } from "@/lib/core/contracts";
import { axeViolations, describeViolations, serious } from "./axe";

const PAGES: [string, string][] = [
  ["apps", "/"],
  ["app", "/apps/notes"],
  ["stage history", "/apps/notes/stages/prod"],
  ["build (live, succeeded)", "/apps/notes/stages/prod/builds/13"],
  ["build (failed)", "FAILED"],
  ["stage settings", "/apps/notes/stages/prod/settings"],
  ["audit", "/apps/notes/audit"],
  ["app settings", "/apps/notes/settings"],
  ["account", "/account"],
  ["unknown build", "/apps/notes/stages/prod/builds/999"],
  ["unknown app", "/apps/nope"],
];

async function check(page: Page, name: string) {
  const all = await axeViolations(page);
  test.info().annotations.push({ type: "axe", description: `${name}: ${all.length ? describeViolations(all) : "no violations"}` });
  expect(serious(all), `${name}\n${describeViolations(serious(all))}`).toEqual([]);
}

test("the check itself finds what it looks for", async ({ page }) => {
  await page.goto("/account");
  await page.evaluate(() => {
    const p = document.createElement("p");
    p.textContent = "too faint";
    p.style.color = "#cbd5e1";
    document.querySelector("main")!.append(p);
  });
  expect((await axeViolations(page)).map((v) => v.id)).toContain("color-contrast");
});

test("every page, signed in", async ({ page, request }) => {
  const { builds } = (await (await request.get("/api/apps/notes/stages/prod/builds?limit=100")).json()) as TBuildPage;
  const failed = builds.find((b) => b.status === "failed")!;
  for (const [name, path] of PAGES) {
    await page.goto(path === "FAILED" ? `/apps/notes/stages/prod/builds/${failed.number}` : path);
    await expect(page.locator("h1").first()).toBeVisible();
    await check(page, name);
  }
});

test("the open rollback dialog", async ({ page, request }) => {
  const { builds } = (await (await request.get("/api/apps/notes/stages/prod/builds?limit=100")).json()) as TBuildPage;
  const target = builds.find((b) => b.rollback.eligible)!;
  await page.goto("/apps/notes/stages/prod");
  await page.getByRole("button", { name: `Roll back prod to #${target.number}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("rollback-plan")).toBeVisible();
  await dialog.locator("details summary").first().click();
  await check(page, "rollback dialog");
  await dialog.getByRole("button", { name: "Cancel" }).click();
});

test("the open deploy dialog", async ({ page }) => {
  await page.goto("/apps/notes/stages/prod");
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Deploy prod" });
  await expect(dialog.getByLabel("Branch or commit")).toBeFocused();
  await check(page, "deploy dialog");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  test("the sign-in page", async ({ page }) => {
    await page.goto("/sign-in");
    await expect(page.locator("h1")).toBeVisible();
    await check(page, "sign-in");
  });
});
