import { expect, type APIRequestContext, type PlaywrightWorkerArgs, type TestInfo } from "@playwright/test";
import { readE2eAuth } from "./auth-files";

// Specs that change builds make their own app (with the bootstrap token, as a script would), so
// that specs running in parallel never race on the demo's stages.

export async function tokenApi(playwright: PlaywrightWorkerArgs["playwright"], info: TestInfo): Promise<APIRequestContext> {
  return playwright.request.newContext({
    baseURL: info.project.use.baseURL,
    storageState: { cookies: [], origins: [] },
    extraHTTPHeaders: { authorization: `Bearer ${readE2eAuth().token}` },
  });
}

type TTemplate = Record<string, unknown>;

export const fn = (version: number, extra: TTemplate = {}): TTemplate => ({
  Metadata: { Sprout: { deploySeconds: 0.2 } },
  Resources: {
    Fn: { Type: "AWS::Lambda::Function", Properties: { Handler: "index.main", Runtime: "nodejs20.x", Description: `v${version}` } },
    ...extra,
  },
});

export async function waitForBuild(api: APIRequestContext, path: string, number: number, status = "success") {
  await expect
    .poll(async () => ((await (await api.get(`${path}/builds/${number}`)).json()) as { build: { status: string } }).build.status, {
      timeout: 30_000,
    })
    .toBe(status);
}

/** Deploys `services` to app/stage and waits for the build to succeed; its number. */
export async function deployAndWait(
  api: APIRequestContext,
  app: string,
  stage: string,
  message: string,
  services: { name: string; template: TTemplate }[],
): Promise<number> {
  const sha = Buffer.from(message).toString("hex").padEnd(7, "0").slice(0, 40);
  const res = await api.post(`/api/apps/${app}/stages/${stage}/builds`, {
    data: { commit: { sha, message, author: "Maya Chen" }, services },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { build } = (await res.json()) as { build: { number: number } };
  await waitForBuild(api, `/api/apps/${app}/stages/${stage}`, build.number);
  return build.number;
}
