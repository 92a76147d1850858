// Foundation: a user finds an app's stage, reads its history (newest first, as the API has it) and
// opens a build to see its steps in run order; unknown names are 404s, as pages and as JSON.
import { expect, test, type APIRequestContext } from "@playwright/test";
import type { TBuildPage, TBuildView } from "@/lib/core/contracts";
import { statusLabel } from "@/components/status-badge";

const HISTORY = "/api/apps/notes/stages/prod/builds";

async function getJson<T>(request: APIRequestContext, url: string): Promise<T> {
  const res = await request.get(url);
  expect(res.status(), url).toBe(200);
  return (await res.json()) as T;
}

test("the history of notes/prod, newest first, then one build's steps in run order", async ({ page, request }) => {
  await page.goto("/");
  await page.locator('a[href="/apps/notes"]').click();
  await expect(page).toHaveURL(/\/apps\/notes$/);
  await page.locator('a[href="/apps/notes/stages/prod"]').click();
  await expect(page).toHaveURL(/\/apps\/notes\/stages\/prod$/);

  const rows = page.getByTestId("build-history").getByRole("row");
  // the page and the API agree (retried: another spec may queue a build in this stage meanwhile)
  let builds: TBuildPage["builds"] = [];
  await expect(async () => {
    builds = (await getJson<TBuildPage>(request, HISTORY)).builds;
    expect(builds.length).toBeGreaterThan(1);
    expect(await rows.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.build)))).toEqual(builds.map((b) => b.number));
    expect(await rows.getByTestId("commit-message").allTextContents()).toEqual(builds.map((b) => b.commit.message));
  }).toPass({ timeout: 15_000 });
  const numbers = builds.map((b) => b.number);
  expect(numbers).toEqual([...numbers].sort((a, b) => b - a));

  // open the finished build with the most phases: its order is what the page must keep
  const details = await Promise.all(builds.map((b) => getJson<{ build: TBuildView }>(request, `${HISTORY}/${b.number}`)));
  const phases = (b: TBuildView) => new Set(b.steps.map((s) => s.phase)).size;
  const target = details
    .map((d) => d.build)
    .filter((b) => b.status !== "queued" && b.status !== "running" && b.steps.length > 0)
    .sort((a, b) => phases(b) - phases(a) || b.number - a.number)[0]!;
  await rows.and(page.locator(`[data-build="${target.number}"]`)).click();
  await expect(page).toHaveURL(new RegExp(`/apps/notes/stages/prod/builds/${target.number}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Build #${target.number}`);

  // unchanged services fold into one line; the others by phase (stable: keeps the API's run order within a phase)
  const expected = target.steps.filter((s) => s.action !== "unchanged").sort((a, b) => a.phase - b.phase);
  const steps = page.locator("li[data-step]");
  await expect(steps).toHaveCount(expected.length);
  expect(await steps.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.step))).toEqual(expected.map((s) => s.service));
  for (const s of expected) {
    const badge = page.locator(`li[data-step="${s.service}"] > button span[data-status]`);
    await expect(badge).toHaveAttribute("data-status", s.status);
    await expect(badge).toHaveText(statusLabel(s.status));
  }
  const phaseHeadings = await page.locator("[data-phase] > h3").allTextContents();
  expect(phaseHeadings).toEqual([...new Set(expected.map((s) => s.phase))].map((_, i) => `Phase ${i + 1}`));
});

test("unknown app and build: a 404 page, and 404 JSON from the API", async ({ page, request }) => {
  for (const path of ["/apps/nope", "/apps/notes/stages/nope", "/apps/notes/stages/prod/builds/99999"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByTestId("not-found")).toBeVisible();
    if (path.endsWith("99999")) {
      // not a dead end: which builds exist, with links to them
      const latest = (await getJson<TBuildPage>(request, `${HISTORY}?limit=1`)).builds[0]!.number;
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`No build #99999 in prod; the latest is #${latest}`);
      await expect(page.getByRole("link", { name: "All builds of prod" })).toHaveAttribute("href", "/apps/notes/stages/prod");
      await expect(page.getByRole("link", { name: /^Open #\d+$/ })).toHaveAttribute("href", /\/apps\/notes\/stages\/prod\/builds\/\d+$/);
      continue;
    }
    await expect(page.getByRole("heading", { name: "Nothing here" })).toBeVisible();

    const api = await request.get(`/api${path}`);
    expect(api.status(), `/api${path}`).toBe(404);
    const body = (await api.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).toMatch(
      path === "/apps/nope" ? /App "nope" not found/ : path.endsWith("nope") ? /Stage "nope" not found/ : /Build #99999 not found/,
    );
  }
});
