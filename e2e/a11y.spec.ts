// axe-core on every page, in the open dialogs, in the dark scheme, at phone width and as a viewer: no
// serious or critical violation. One test per page, so one page's failure does not hide the others';
// each page's full result (every impact) is attached to its test, so the report shows what is left.
// Then the skip link and the dark scheme themselves.
import { expect, test, type Page } from "@playwright/test";
import type { TBuildPage } from "@/lib/core/contracts";
import { axeViolations, describeViolations, serious } from "./axe";
import { deployAndWait, fn, tokenApi } from "./fixtures";

const PAGES: [string, string][] = [
  ["apps", "/"],
  ["app", "/apps/notes"],
  ["stage history", "/apps/notes/stages/prod"],
  ["stage history (dev, pinned)", "/apps/notes/stages/dev"],
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
  expect.soft(serious(all), `${name}\n${describeViolations(serious(all))}`).toEqual([]);
}

/** Opens `path` ("FAILED": prod's first failed build) and waits for its heading. */
async function open(page: Page, path: string) {
  if (path === "FAILED") {
    const { builds } = (await (await page.request.get("/api/apps/notes/stages/prod/builds?limit=100")).json()) as TBuildPage;
    path = `/apps/notes/stages/prod/builds/${builds.find((b) => b.status === "failed")!.number}`;
  }
  await page.goto(path);
  await expect(page.locator("h1").first()).toBeVisible();
}

test("the check itself finds what it looks for", async ({ page }) => {
  // the page settled first (heading shown, animations done), so that neither a re-render nor a fade hides the faint line
  await open(page, "/account");
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
  await page.evaluate(() => {
    const p = document.createElement("p");
    p.textContent = "too faint";
    p.style.color = "#cbd5e1";
    document.querySelector("main")!.append(p);
  });
  await expect(page.getByText("too faint")).toBeVisible();
  expect((await axeViolations(page)).map((v) => v.id)).toContain("color-contrast");
});

for (const [name, path] of PAGES) {
  test(`page: ${name}`, async ({ page }) => {
    await open(page, path);
    await check(page, name);
  });
}

test.describe("dark scheme", () => {
  test.use({ colorScheme: "dark" });
  for (const [name, path] of [PAGES[2]!, PAGES[5]!, PAGES[6]!]) {
    test(`page: ${name}, dark`, async ({ page }) => {
      await open(page, path);
      await check(page, `${name}, dark`);
    });
  }
});

test("page: stage history at phone width (390 px)", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, "/apps/notes/stages/prod");
  await check(page, "stage history, 390 px");
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

test("the open promote dialog", async ({ page, request }) => {
  // the demo's dev builds promote nothing (#3 is prod's release) or are refused: an app whose plan adds and changes
  const app = `a11y-${Date.now().toString(36)}`;
  expect((await request.post("/api/apps", { data: { name: app, stages: [{ name: "dev" }, { name: "prod" }] } })).status()).toBe(201);
  await deployAndWait(request, app, "prod", "First release", [{ name: "api", template: fn(1) }]);
  const topic = { Topic: { Type: "AWS::SNS::Topic", Properties: {} } };
  await deployAndWait(request, app, "dev", "Add a topic", [{ name: "api", template: fn(2, topic) }]);
  await page.goto(`/apps/${app}/stages/dev/builds/1`);
  await page.getByRole("button", { name: "Promote to prod from dev #1" }).click();
  const dialog = page.getByRole("dialog", { name: "Promote dev #1 to prod" });
  await dialog.getByTestId("promote-plan").locator("details summary").first().click();
  await expect(dialog.locator('[data-change="added"]')).toContainText("Topic");
  await check(page, "promote dialog");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
});

test("a viewer's pages: actions disabled with their reasons", async ({ browser, playwright }, info) => {
  const email = `a11y-viewer-${Date.now().toString(36)}@x.test`;
  const api = await tokenApi(playwright, info);
  const added = await api.post("/api/apps/notes/members", { data: { email, role: "viewer" } });
  expect(added.status(), await added.text()).toBe(201);
  const { password } = (await added.json()) as { password: string };
  await api.dispose();
  const signIn = await playwright.request.newContext({ baseURL: info.project.use.baseURL, storageState: { cookies: [], origins: [] } });
  expect((await signIn.post("/api/auth/sign-in/email", { data: { email, password } })).ok()).toBe(true);
  const context = await browser.newContext({ storageState: await signIn.storageState() });
  await signIn.dispose();
  const page = await context.newPage();
  await open(page, "/apps/notes/stages/prod");
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
  await expect(page.getByRole("button", { name: "Deploy", exact: true })).toHaveAttribute("aria-disabled", "true");
  await check(page, "stage history, viewer");
  await open(page, "/apps/notes/stages/prod/settings");
  await check(page, "stage settings, viewer");
  await context.close();
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  test("the sign-in page", async ({ page }) => {
    await page.goto("/sign-in");
    await expect(page.locator("h1")).toBeVisible();
    await check(page, "sign-in");
  });
});

test("Tab from the top focuses “Skip to content”, and Enter moves focus to the page's content", async ({ page }) => {
  await open(page, "/apps/notes");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  // shown while focused (it is visually hidden otherwise)
  expect((await skip.boundingBox())?.width).toBeGreaterThan(50);
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
  // the next Tab goes into the content, past the top bar
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => !!document.activeElement?.closest("main"))).toBe(true);
});

test.describe("dark scheme, as the system asks", () => {
  test.use({ colorScheme: "dark" });
  test("the page is dark with light text", async ({ page }) => {
    await open(page, "/apps/notes");
    // the computed colours drawn on a canvas: their luminance, whatever colour syntax the CSS uses
    const [background, text] = await page.evaluate(() => {
      const ctx = document.createElement("canvas").getContext("2d")!;
      const luminance = (color: string) => {
        ctx.clearRect(0, 0, 1, 1);
        ctx.fillStyle = color;
        ctx.fillRect(0, 0, 1, 1);
        const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
        return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
      };
      const body = getComputedStyle(document.body);
      return [luminance(body.backgroundColor), luminance(getComputedStyle(document.querySelector("h1")!).color)];
    });
    expect(background).toBeLessThan(0.15);
    expect(text).toBeGreaterThan(0.8);
  });
});
