// The rollback dialog behaves like a dialog: focus stays inside, the page behind is inert and still,
// Escape and Cancel give focus back to the button that opened it; on prod, or a stage an admin
// marks protected, it opens on Cancel and Enter never confirms.
import { expect, test, type Page } from "@playwright/test";
import { deployAndWait, fn, tokenApi } from "./fixtures";

const app = `dialog-${Date.now().toString(36)}`;
test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ playwright }, info) => {
  const api = await tokenApi(playwright, info);
  const res = await api.post("/api/apps", { data: { name: app, stages: [{ name: "staging" }, { name: "prod" }] } });
  expect(res.status()).toBe(201);
  for (const stage of ["staging", "prod"]) {
    await deployAndWait(api, app, stage, `One ${stage}`, [{ name: "api", template: fn(1) }]);
    await deployAndWait(api, app, stage, `Two ${stage}`, [{ name: "api", template: fn(2) }]);
  }
  await api.dispose();
});

const focusInDialog = (page: Page) => page.evaluate(() => !!document.querySelector("dialog[open]")?.contains(document.activeElement));

test("focus stays in the dialog, the page behind is inert and still, Escape and Cancel return focus", async ({ page }) => {
  await page.goto(`/apps/${app}/stages/staging`);
  const opener = page.getByRole("button", { name: "Roll back staging to #1" });
  await expect(opener).toBeEnabled(); // once the page's script runs
  await opener.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Roll back staging: #2 → #1" });
  await expect(dialog).toBeVisible();
  // an unprotected stage: Confirm takes focus once the plan is there
  await expect(dialog.getByTestId("commits-undone")).toContainText("Two staging");
  await expect(dialog.getByRole("button", { name: "Confirm rollback" })).toBeFocused();
  // the summary describes the dialog
  await expect(dialog).toHaveAccessibleDescription(/1 service change; 1 commit undone\.$/);

  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    expect(await focusInDialog(page), `Tab #${i + 1} left the dialog`).toBe(true);
  }
  await page.keyboard.press("Shift+Tab");
  expect(await focusInDialog(page)).toBe(true);
  // the page behind takes no focus and does not scroll
  expect(
    await page.evaluate(() => {
      const behind = document.querySelector<HTMLElement>("a[data-row-link]")!;
      behind.focus();
      return document.activeElement === behind;
    }),
  ).toBe(false);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).overflow)).toBe("hidden");

  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).overflow)).not.toBe("hidden");

  await opener.click();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(opener).toBeFocused();
});

test("prod opens on Cancel: Enter closes the dialog and rolls nothing back", async ({ page }) => {
  await page.goto(`/apps/${app}/stages/prod`);
  const opener = page.getByRole("button", { name: "Roll back prod to #1" });
  await opener.click();
  const dialog = page.getByRole("dialog", { name: "Roll back prod: #2 → #1" });
  const cancel = dialog.getByRole("button", { name: "Cancel" });
  await expect(cancel).toBeFocused();
  await expect(dialog.getByTestId("commits-undone")).toContainText("Two prod");
  await expect(cancel).toBeFocused(); // still, with the plan loaded
  await page.keyboard.press("Enter");
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();
  const res = await page.request.get(`/api/apps/${app}/stages/prod/builds?limit=1`);
  expect(((await res.json()) as { builds: { number: number }[] }).builds[0]!.number).toBe(2);
});

test("a stage an admin marks protected (and gives a step time limit) opens on Cancel too", async ({ page }) => {
  await page.goto(`/apps/${app}/stages/staging/settings`);
  await page.getByRole("checkbox", { name: /^Protected/ }).check();
  await expect(page.getByRole("spinbutton", { name: "Step time limit (minutes)" })).toHaveValue("60"); // the default
  await page.getByRole("spinbutton", { name: "Step time limit (minutes)" }).fill("45");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("spinbutton", { name: "Step time limit (minutes)" })).toHaveValue("45");

  await page.goto(`/apps/${app}/stages/staging`);
  await expect(page.getByText("protected", { exact: false }).first()).toBeVisible();
  await page.getByRole("button", { name: "Roll back staging to #1" }).click();
  const dialog = page.getByRole("dialog", { name: "Roll back staging: #2 → #1" });
  await expect(dialog.getByTestId("commits-undone")).toContainText("Two staging");
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
});
