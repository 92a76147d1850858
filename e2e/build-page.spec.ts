// The build page tells the truth, on the demo's builds (read only): progress counts changes, not
// unchanged services, which fold into one line; a failed step's error shows once, with a jump to
// its log line; the log searches, wraps and downloads whole; the outcome is a status and the tab
// says it.
import { expect, test, type APIRequestContext } from "@playwright/test";
import type { TBuildPage, TBuildView, TLogPage } from "@/lib/core/contracts";

const API = "/api/apps/notes/stages/prod/builds";

async function demoBuild(request: APIRequestContext, pick: (b: TBuildView) => boolean): Promise<TBuildView> {
  const { builds } = (await (await request.get(`${API}?limit=100`)).json()) as TBuildPage;
  for (const b of builds) {
    const { build } = (await (await request.get(`${API}/${b.number}`)).json()) as { build: TBuildView };
    if (pick(build)) return build;
  }
  throw new Error("the demo has no such build");
}

test("a failed build: progress counts its changes, its error shows once and jumps to its log line", async ({ page, request }) => {
  const build = await demoBuild(request, (b) => b.status === "failed");
  const changes = build.steps.filter((s) => s.action !== "unchanged");
  const count = (status: string) => changes.filter((s) => s.status === status).length;
  const failed = changes.find((s) => s.status === "failed")!;
  await page.goto(`/apps/notes/stages/prod/builds/${build.number}`);

  const parts = [`${count("success")} of ${changes.length} changes`, `${count("success")} succeeded`, "1 failed"];
  if (count("skipped")) parts.push(`${count("skipped")} skipped`);
  await expect(page.getByTestId("build-progress")).toHaveText(parts.join(" · "));
  await expect(page).toHaveTitle(`Failed · #${build.number} · prod · notes · Sprout`);
  await expect(page.getByTestId("build-outcome")).toHaveText(`Build #${build.number} failed. ${parts.join(" · ")}.`);

  // once, on its step; the build's note names the step and does not repeat it
  await expect(page.getByTestId("step-error").filter({ hasText: failed.error! })).toHaveCount(1);
  await expect(page.getByTestId("build-error")).not.toContainText(failed.error!);
  await page.getByTestId("build-error").getByRole("button", { name: failed.key }).click();
  const log = page.locator(`#log-${failed.key}`);
  const marked = log.locator("[data-marked]");
  await expect(marked).toBeVisible();
  await expect(marked).toContainText(failed.error!);
  await expect(log.getByRole("log")).toHaveAttribute("aria-live", "off");
  await expect(log.getByRole("log")).toBeFocused();
});

test("unchanged services fold into one line; the log searches, wraps and downloads whole", async ({ page, request }) => {
  const build = await demoBuild(request, (b) => b.status === "success" && b.steps.some((s) => s.action === "unchanged"));
  const unchanged = build.steps.filter((s) => s.action === "unchanged").map((s) => s.service);
  await page.goto(`/apps/notes/stages/prod/builds/${build.number}`);
  await expect(page.locator("li[data-step]")).toHaveCount(build.steps.length - unchanged.length);
  await expect(page.getByTestId("unchanged-steps")).toHaveText(
    `${unchanged.length} ${unchanged.length === 1 ? "service" : "services"} unchanged: ${unchanged.join(", ")}`,
  );
  const changes = build.steps.length - unchanged.length;
  await expect(page.getByTestId("build-progress")).toHaveText(`${changes} of ${changes} changes · ${changes} succeeded`);

  const step = build.steps.find((s) => s.action !== "unchanged")!;
  await page.locator(`li[data-step="${step.service}"] > button`).click();
  const log = page.locator(`#log-${step.service}`);
  const lines = ((await (await request.get(`${API}/${build.number}/logs?step=${step.service}`)).json()) as TLogPage).lines;
  const hits = lines.filter((l) => l.text.includes("COMPLETE")).length;
  await log.getByLabel(`Search Log of ${step.service}`).fill("complete");
  await expect(log.getByTestId("log-matches")).toHaveText(`1 of ${hits}`);
  await log.getByLabel(`Search Log of ${step.service}`).press("Enter");
  await expect(log.getByTestId("log-matches")).toHaveText(`${Math.min(2, hits)} of ${hits}`);
  const wrap = log.getByRole("button", { name: "Wrap lines" });
  await wrap.click();
  await expect(wrap).toHaveAttribute("aria-pressed", "true");

  // the whole build's log as a file, every line of it
  const href = await page.getByRole("link", { name: "Download full log" }).getAttribute("href");
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("text/plain; charset=utf-8");
  expect(res.headers()["content-disposition"]).toBe(`attachment; filename="notes-prod-${build.number}.log"`);
  const all = ((await (await request.get(`${API}/${build.number}/logs?limit=5000`)).json()) as TLogPage).lines;
  const text = await res.text();
  expect(text.trimEnd().split("\n")).toHaveLength(all.length);
  expect(text).not.toContain("\u001b[");
});

test("a step shows the CloudFormation parameters it deploys with: the stage's value over the template's default", async ({
  page,
  request,
}) => {
  const build = await demoBuild(request, (b) => b.steps.some((s) => s.key === "billing-api" && s.parameters?.LogRetentionDays));
  const step = build.steps.find((s) => s.key === "billing-api")!;
  await page.goto(`/apps/notes/stages/prod/builds/${build.number}`);
  const row = page.locator('li[data-step="billing-api"]');
  if ((await row.locator("[data-testid=step-parameters]").count()) === 0) await row.getByRole("button").first().click();
  const parameters = row.getByTestId("step-parameters");
  // prod's own value (its settings), not the template's default of 14
  await expect(parameters.locator("div").filter({ hasText: "LogRetentionDays" }).locator("dd")).toHaveText("30");
  for (const [name, value] of Object.entries(step.parameters!)) await expect(parameters).toContainText(`${name}${value}`);
});
