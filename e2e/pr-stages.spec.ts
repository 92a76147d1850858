// Pull-request stages in the browser: a signed GitHub pull_request delivery (over HTTP, as GitHub
// sends it) for a head pushed to a real git origin makes pr-7; the app page lists it in its own row
// under the pipeline with its number and title, and its page says which pull request it is.
import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import { GITHUB_HEADERS, signGithubBody } from "@/lib/core/source/webhooks";
import { createOrigin, tempDir } from "@/tests/support/git-repo";
import { githubPullRequest } from "@/tests/support/pull-requests";
import { fn } from "./fixtures";

const app = `prs-${Date.now().toString(36)}`;

test("an opened pull request gets a stage in the pull requests row, with its number and title", async ({ page, request }) => {
  const origin = await createOrigin(await tempDir("e2e-pr-stages"));
  const template = JSON.stringify(fn(1));
  await origin.commit(
    { "sprout.yml": "services:\n  api:\n    path: api\n    template: template.json\n", "api/template.json": template },
    "API",
  );
  expect((await request.post("/api/apps", { data: { name: app, stages: [{ name: "dev" }, { name: "prod" }] } })).status()).toBe(201);
  const connected = await request.put(`/api/apps/${app}/repository`, { data: { url: origin.url } });
  expect(connected.status(), await connected.text()).toBe(200);
  const { webhookSecret } = (await connected.json()) as { webhookSecret: string };
  expect((await request.patch(`/api/apps/${app}`, { data: { prStages: { enabled: true } } })).status()).toBe(200);

  // the pull request's head, where GitHub keeps it
  const sha = await origin.commit({ "api/template.json": JSON.stringify(fn(2)) }, "Search by title", "feature");
  await origin.git(["push", "--quiet", "origin", "HEAD:refs/pull/7/head"]);
  const body = JSON.stringify(githubPullRequest("opened", 7, { ref: "feature", sha }, { title: "Search notes by title" }));
  const delivered = await request.post(`/api/webhooks/github/${app}`, {
    headers: {
      "content-type": "application/json",
      [GITHUB_HEADERS.event]: "pull_request",
      [GITHUB_HEADERS.delivery]: crypto.randomUUID(),
      [GITHUB_HEADERS.signature]: signGithubBody(webhookSecret, body),
    },
    data: body,
  });
  expect(delivered.status(), await delivered.text()).toBe(202);

  await page.goto(`/apps/${app}`);
  const row = page.getByRole("list", { name: "Pull request stages" });
  await expect(row.locator("[data-stage]")).toHaveCount(1);
  await expect(row.locator('[data-stage="pr-7"]').getByTestId("pull-request")).toHaveText("PR #7 · Search notes by title");
  // the pipeline itself keeps to the app's own stages
  await expect(page.getByRole("list", { name: "Stages", exact: true }).locator("[data-stage]")).toHaveCount(2);
  await row.locator('[data-stage="pr-7"]').click();
  await expect(page).toHaveURL(new RegExp(`/apps/${app}/stages/pr-7$`));
  await expect(page.getByTestId("pull-request")).toHaveText("Pull request #7: Search notes by title");
});
