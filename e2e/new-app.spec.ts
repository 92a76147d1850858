// New app, in the browser: an instance admin names an app and a repository (a real git repository
// made in a temp folder, reached by its local path), sees sprout.yml's services and their graph, or
// its problems by line, before anything exists; Create makes it and shows the webhook secret once;
// the empty app page says what to do next; the stage's variables editor never shows a secret again.
import { expect, test } from "@playwright/test";
import { createOrigin, tempDir } from "@/tests/support/git-repo";
import path from "node:path";
import { axeViolations, describeViolations, serious } from "./axe";
import { readE2eDataDir } from "./auth-files";

const app = `repo-${Date.now().toString(36)}`;

const template = (body: Record<string, unknown>) => JSON.stringify({ Resources: { T: { Type: "AWS::SNS::Topic" } }, ...body });
const FILES = {
  "sprout.yml": `services:
  notes-api:
    path: services/notes-api
    template: template.json
  billing-api:
    path: services/billing-api
    template: template.json
    dependsOn: [notes-api]
  notify-job:
    path: services/notify-job
    build: npm run package
    template: .sprout/template.json
    dependsOn: [billing-api]
`,
  "services/notes-api/template.json": template({}),
  "services/billing-api/template.json": template({ Outputs: { Arn: { Value: { Ref: "T" }, Export: { Name: "Billing-${stage}" } } } }),
};

test("create an app from its repository: its services are shown before it exists", async ({ page, request }) => {
  const origin = await createOrigin(await tempDir("e2e-new-app"));
  await origin.commit(FILES, "Three services");
  const broken = await createOrigin(await tempDir("e2e-new-app-broken"));
  await broken.commit({ "sprout.yml": "services:\n  api:\n    path: api\n    template: t.json\n    dependsOn: [db]\n" }, "Broken");

  await page.goto("/");
  await page.getByRole("link", { name: "New app" }).click();
  await expect(page).toHaveURL(/\/new-app$/);
  await page.getByLabel("Name").fill(app);

  // a sprout.yml with a problem: shown by file and line, nothing to create
  await page.getByLabel("Repository URL").fill(broken.bare);
  await page.getByRole("button", { name: "Read sprout.yml" }).click();
  await expect(page.getByTestId("sprout-yml-problems")).toContainText(
    'sprout.yml:5 services.api.dependsOn[0]: names no service of this file: "db"',
  );
  await expect(page.getByRole("button", { name: `Create ${app}` })).toHaveCount(0);

  await page.getByLabel("Repository URL").fill(origin.bare);
  await page.getByRole("button", { name: "Read sprout.yml" }).click();
  const preview = page.getByTestId("app-preview");
  await expect(preview).toContainText("sprout.yml on main");
  await expect(preview.getByTestId("preview-services").locator("[data-service]")).toHaveText([
    /notes-api\s+services\/notes-api/,
    /billing-api\s+services\/billing-api/,
    /notify-job\s+services\/notify-job/,
  ]);
  // the dependency graph, drawn before the app exists
  const graph = preview.getByRole("img", { name: /^Service dependencies/ });
  for (const name of ["notes-api", "billing-api", "notify-job"]) await expect(graph.getByText(name, { exact: true })).toBeVisible();
  await expect(graph.locator("title", { hasText: "notes-api → billing-api: declared in dependsOn" })).toHaveCount(1);
  await expect(graph.locator("title", { hasText: "billing-api → notify-job: declared in dependsOn" })).toHaveCount(1);
  const all = await axeViolations(page);
  expect(serious(all), describeViolations(serious(all))).toEqual([]);
  expect((await request.get(`/api/apps/${app}`)).status()).toBe(404);

  await page.getByRole("button", { name: `Create ${app}` }).click();
  const created = page.getByTestId("app-created");
  await expect(created).toContainText(`${app} is ready: 3 services, stages dev and prod.`);
  await expect(created.getByTestId("webhook-secret")).toHaveText(/^[A-Za-z0-9_-]{43}$/);
  await expect(created.getByTestId("webhook-github")).toHaveText(new RegExp(`/api/webhooks/github/${app}$`));
  const { app: detail } = (await (await request.get(`/api/apps/${app}`)).json()) as { app: { stages: { name: string }[] } };
  expect(detail.stages.map((s) => s.name)).toEqual(["dev", "prod"]);

  await created.getByRole("link", { name: `Open ${app}` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(app);
  const next = page.getByTestId("empty-app");
  await expect(next).toContainText(`${app} builds from ${origin.bare}`);
  await expect(next.getByTestId("curl-deploy")).toHaveText(
    `curl -X POST "$SPROUT_URL/api/apps/${app}/stages/dev/deploy" -H "Authorization: Bearer $SPROUT_TOKEN"`,
  );
});

test("the demo's own repository: its seven services and their graph before the app exists", async ({ page, request }) => {
  const demoRepository = path.join(readE2eDataDir(), "repos", "notes");
  const name = `${app}-demo`;
  await page.goto("/new-app");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Repository URL").fill(demoRepository);
  await page.getByRole("button", { name: "Read sprout.yml" }).click();
  const preview = page.getByTestId("app-preview");
  await expect(preview).toContainText("sprout.yml on main");
  const services = preview.getByTestId("preview-services").locator("[data-service]");
  await expect(services).toHaveCount(7);
  await expect(services.filter({ hasText: "notes-api" })).toContainText("services/notes-api");
  await expect(preview.getByRole("img", { name: /^Service dependencies/ }).getByText("billing-api", { exact: true })).toBeVisible();
  expect((await request.get(`/api/apps/${name}`)).status()).toBe(404);
  await page.getByRole("button", { name: `Create ${name}` }).click();
  await expect(page.getByTestId("app-created")).toContainText(`${name} is ready: 7 services, stages dev and prod.`);
});

test("a secret variable set in the stage settings is never shown again", async ({ page, request }) => {
  const res = await request.post("/api/apps", { data: { name: `${app}-vars` } });
  expect(res.status()).toBe(201);
  await page.goto(`/apps/${app}-vars/stages/dev/settings`);
  const form = page.getByRole("form", { name: "Set a variable" });
  await form.getByLabel("Name").fill("DB_PASSWORD");
  await form.getByLabel("Value").fill("e2e-very-secret-value");
  await form.getByLabel("Secret").check();
  await form.getByRole("button", { name: "Add variable" }).click();
  const row = page.locator('[data-variable="DB_PASSWORD"]');
  await expect(row).toContainText("secret");
  await form.getByLabel("Name").fill("API_URL");
  await form.getByLabel("Value").fill("https://api.example.com");
  await form.getByRole("button", { name: "Add variable" }).click();
  await expect(page.locator('[data-variable="API_URL"]')).toContainText("= https://api.example.com");
  await page.reload();
  await expect(page.locator('[data-variable="DB_PASSWORD"]')).toContainText("secret");
  expect(await page.content()).not.toContain("e2e-very-secret-value");
  await row.getByRole("button", { name: "Replace" }).click();
  await expect(form.getByLabel("Value")).toHaveValue("");
});
