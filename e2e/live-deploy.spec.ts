// The engine, watched live: a deploy queued through the API runs on the worker while its page,
// opened once and never reloaded, shows each step go running -> success, and a failing step's
// error with its dependents skipped.
import { expect, test } from "@playwright/test";

const svc = (opts: { exports?: string[]; imports?: string[]; seconds: number; fail?: string }) => ({
  Metadata: { Sprout: { deploySeconds: opts.seconds, ...(opts.fail ? { fail: opts.fail } : {}) } },
  Resources: {
    Fn: { Type: "AWS::Lambda::Function", Properties: { Handler: "index.main", Runtime: "nodejs20.x" } },
    ...Object.fromEntries(
      (opts.imports ?? []).map((name, i) => [
        `P${i}`,
        { Type: "AWS::SSM::Parameter", Properties: { Name: `/p/${i}`, Type: "String", Value: { "Fn::ImportValue": name } } },
      ]),
    ),
  },
  ...(opts.exports?.length
    ? {
        Outputs: Object.fromEntries(
          opts.exports.map((name, i) => [`O${i}`, { Value: { "Fn::GetAtt": ["Fn", "Arn"] }, Export: { Name: name } }]),
        ),
      }
    : {}),
});

test("a deploy queued through the API runs live on its page: running, then success; a failure skips its dependents", async ({
  page,
  request,
}) => {
  const app = `live-${Date.now().toString(36)}`;
  expect((await request.post("/api/apps", { data: { name: app, stages: [{ name: "prod" }] } })).status()).toBe(201);
  const res = await request.post(`/api/apps/${app}/stages/prod/builds`, {
    data: {
      commit: { sha: "1234567890abcdef1234567890abcdef12345678", message: "Add the billing pipeline", author: "Jay" },
      services: [
        { name: "database", template: svc({ exports: ["Table-${stage}"], seconds: 2 }) },
        { name: "billing-api", template: svc({ imports: ["Table-${stage}"], exports: ["Topic-${stage}"], seconds: 2 }) },
        {
          name: "broken-api",
          template: svc({
            imports: ["Table-${stage}"],
            exports: ["Broken-${stage}"],
            seconds: 1,
            fail: 'Resource handler returned message: "Invalid runtime"',
          }),
        },
        { name: "notify-job", template: svc({ imports: ["Broken-${stage}"], seconds: 1 }) },
      ],
    },
  });
  expect(res.status()).toBe(201);
  const { build } = (await res.json()) as { build: { number: number; status: string } };
  expect(build.status).toBe("queued");

  await page.goto(`/apps/${app}/stages/prod/builds/${build.number}`);
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  const step = (name: string) => page.locator(`li[data-step="${name}"]`);

  await expect(step("database")).toHaveAttribute("data-status", "running", { timeout: 15_000 });
  await expect(step("billing-api")).toHaveAttribute("data-status", "pending");
  await expect(step("database")).toHaveAttribute("data-status", "success", { timeout: 15_000 });
  await expect(step("billing-api")).toHaveAttribute("data-status", "running", { timeout: 10_000 });
  // the running step's log appends as it comes (its panel opens when the step starts), followed
  await expect(page.locator("#log-billing-api")).toContainText("CREATE_IN_PROGRESS AWS::Lambda::Function Fn", { timeout: 10_000 });
  await expect(page.locator("#log-billing-api").getByRole("button", { name: "Following · stop" })).toHaveAttribute("aria-pressed", "true");

  await expect(step("broken-api")).toHaveAttribute("data-status", "failed", { timeout: 15_000 });
  await expect(step("broken-api")).toContainText('Resource handler returned message: "Invalid runtime"');
  await expect(step("notify-job")).toHaveAttribute("data-status", "skipped", { timeout: 10_000 });
  await expect(step("notify-job")).toContainText("Skipped: broken-api did not succeed.");
  await expect(step("billing-api")).toHaveAttribute("data-status", "success", { timeout: 15_000 });
  // following stops when the step ends: nothing more will come
  await expect(page.locator("#log-billing-api").getByRole("button", { name: /^Follow/ })).toHaveCount(0);

  const header = page.locator("header").filter({ has: page.getByRole("heading", { name: `Build #${build.number}` }) });
  await expect(header.locator("span[data-status]").first()).toHaveAttribute("data-status", "failed", { timeout: 10_000 });
  await expect(page.getByTestId("build-error")).toContainText("broken-api failed");
  // the outcome is announced (a status region), and the tab says it
  await expect(page.getByTestId("build-outcome")).toHaveText(/^Build #\d+ failed\. 2 of 4 changes · 2 succeeded · 1 failed · 1 skipped\.$/);
  await expect(page).toHaveTitle(new RegExp(`^Failed · #${build.number} · prod · ${app}`));
  // all of it without a reload
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});
