// Builds from git on the demo: dev unpinned (the demo's story ends with a rollback), a commit in the
// demo's repository (the e2e server's own, under its SPROUT_DATA_DIR), then Deploy on dev, watched
// live on the build page that Deploy opens: the checkout, the package step running notes-api's
// build command, then the deploy, each to success.
// Then pushes signed as GitHub signs them: the newest supersedes the one still waiting.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { readE2eDataDir } from "./auth-files";

/** git in the demo's repository, as its developer Ada (no user or system configuration). */
function git(repo: string, args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.com", ...args], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
  }).trim();
}

/** Commits `change` to notes-api's template in the demo's repository; gives the new sha. */
function commitToNotesApi(repo: string, change: (text: string) => string, message: string): string {
  const template = path.join(repo, "services/notes-api/template.yml");
  fs.writeFileSync(template, change(fs.readFileSync(template, "utf8")));
  git(repo, ["commit", "--quiet", "-am", message]);
  return git(repo, ["rev-parse", "HEAD"]);
}

test("Unpin dev, then Deploy builds the new commit: checkout, package, then deploy go live to success", async ({ page }) => {
  test.setTimeout(120_000);
  const repo = path.join(readE2eDataDir(), "repos", "notes");
  commitToNotesApi(repo, (t) => t.replace("deploySeconds: 3", "deploySeconds: 1"), "notes-api: deploy in one second");

  // the demo's dev ends rolled back to #3, hence pinned: a deploy is refused until it is unpinned
  await page.goto("/apps/notes/stages/dev");
  await expect(page.getByTestId("stage-branch")).toHaveText(/main · deploys on push/);
  await page.getByRole("button", { name: "Unpin", exact: true }).click();
  await expect(page.getByRole("button", { name: "Unpin", exact: true })).toHaveCount(0);
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Deploy dev" });
  await expect(dialog.getByLabel("Branch or commit")).toHaveValue("main");
  await expect(dialog.getByLabel("Branch or commit")).toBeFocused();
  await expect(dialog.getByRole("checkbox", { name: "notes-api" })).not.toBeChecked();
  await dialog.getByRole("button", { name: "Deploy dev" }).click();
  // compared with #3's commit, live since the rollback: sprout.yml changed since, so every service is packaged
  await expect(page).toHaveURL(/\/apps\/notes\/stages\/dev\/builds\/6$/, { timeout: 20_000 });
  const header6 = page.locator("header").filter({ has: page.getByRole("heading", { name: "Build #6" }) });
  await expect(header6.locator("span[data-status]").first()).toHaveAttribute("data-status", "success", { timeout: 60_000 });
  await expect(page.locator('li[data-step^="package:"]')).toHaveCount(7);

  // the next commit: only notes-api changed since what is live
  const sha = commitToNotesApi(repo, (t) => t.replace("deploySeconds: 1", "deploySeconds: 2"), "notes-api: deploy in two seconds");
  await page.goto("/apps/notes/stages/dev");
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  await page.getByRole("dialog", { name: "Deploy dev" }).getByRole("button", { name: "Deploy dev" }).click();
  await expect(page).toHaveURL(/\/apps\/notes\/stages\/dev\/builds\/7$/, { timeout: 20_000 });
  const step = (key: string) => page.locator(`li[data-step="${key}"]`);
  await expect(step("checkout")).toHaveAttribute("data-status", "success", { timeout: 20_000 });
  // the checkout found one changed service: its package step appears, then runs the build command
  await expect(step("package:notes-api")).toHaveAttribute("data-status", "success", { timeout: 20_000 });
  await expect(step("package:notes-api").getByTestId("step-service")).toHaveText("notes-api");
  await expect(page.getByText(`packaged notes-api for dev at ${sha.slice(0, 7)} (build #7)`)).toBeVisible();
  // then the deploy, planned from the new artifact: notes-api updates (two seconds in the sandbox)
  await expect(step("notes-api")).toHaveAttribute("data-status", "running", { timeout: 20_000 });
  await expect(step("notes-api")).toHaveAttribute("data-status", "success", { timeout: 20_000 });
  await expect(page.locator("[data-phase] > h3")).toHaveText(["Checkout", "Package", "Deploy, phase 1"]);
  await expect(page.getByTestId("unchanged-steps")).toContainText("6 services unchanged");
  const header = page.locator("header").filter({ has: page.getByRole("heading", { name: "Build #7" }) });
  await expect(header.locator("span[data-status]").first()).toHaveAttribute("data-status", "success");
  await expect(header).toContainText("notes-api: deploy in two seconds");
  await expect(header.getByTestId("build-trigger")).toHaveText("manual");

  // the history: the new build, live, with its trigger
  await page.goto("/apps/notes/stages/dev");
  const row = page.locator('[data-build="7"]');
  await expect(row).toHaveAttribute("data-live", "true");
  await expect(row.getByTestId("commit-message")).toHaveText("notes-api: deploy in two seconds");
  await expect(row.getByTestId("build-trigger")).toHaveText("manual");
});

test("pushes to main build dev; one still waiting when a newer one comes is skipped, greyed with why", async ({ page, request }) => {
  const repo = path.join(readE2eDataDir(), "repos", "notes");
  fs.appendFileSync(path.join(repo, "services/notes-api/template.yml"), "# pushed\n");
  git(repo, ["commit", "--quiet", "-am", "notes-api: pushed"]);
  const [before, after] = [git(repo, ["rev-parse", "HEAD~1"]), git(repo, ["rev-parse", "HEAD"])];
  // the demo's secret was never shown: a new one, as an admin gets it from the settings page
  const rotated = await request.post("/api/apps/notes/repository/secret");
  expect(rotated.status()).toBe(200);
  const { webhookSecret } = (await rotated.json()) as { webhookSecret: string };
  const body = JSON.stringify({
    ref: "refs/heads/main",
    before,
    after,
    head_commit: { id: after, message: "notes-api: pushed", author: { name: "Ada" } },
  });
  const push = () =>
    request.post("/api/webhooks/github/notes", {
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": crypto.randomUUID(),
        "x-hub-signature-256": `sha256=${crypto.createHmac("sha256", webhookSecret).update(body).digest("hex")}`,
      },
      data: body,
    });
  // three at once: the stage runs one build at a time, so the second still waits when the third comes
  const numbers: number[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await push();
    expect(res.status()).toBe(202);
    numbers.push(((await res.json()) as { builds: { number: number }[] }).builds[0]!.number);
  }
  const last = numbers.at(-1)!;
  await page.goto("/apps/notes/stages/dev");
  const newest = page.locator(`[data-build="${last}"]`);
  await expect(newest.getByTestId("build-trigger")).toHaveText("push");
  await expect(newest.locator("span[data-status]").first()).toHaveAttribute("data-status", "success", { timeout: 30_000 });
  const skipped = page.locator("[data-skipped]");
  await expect(skipped.first()).toBeVisible();
  await expect(skipped.first().getByTestId("skipped-reason")).toHaveText(/^Skipped: superseded by #\d+$/);
  await expect(skipped.first().locator("span[data-status]").first()).toHaveAttribute("data-status", "skipped");
});
