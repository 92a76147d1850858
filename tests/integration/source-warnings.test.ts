// What a template warns of (a transform that may add exports, a parameter value the template does
// not declare) reaches a source build's plan warnings and its package step's log, as a manifest
// deploy of the same templates and values shows them: real git, a signed push, the real build route.
import { beforeAll, describe, expect, it } from "vitest";
import { deploy } from "@/lib/server/operations/deploy";
import { ensureBootstrapToken } from "@/lib/server/auth/tokens";
import { ZDeployBody } from "@/lib/core/validation";
import { GET as buildGet } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/route";
import { call } from "../support/auth";
import { appRef, TEST_ACTOR } from "../support/context";
import { commit } from "../support/fixtures";
import { logText, waitForBuild, withWorker } from "../support/engine";
import { githubPush, postGithub, sourceApp, template, type TSourceApp } from "../support/source";

withWorker();

const TOKEN = "bootstrap-token-for-the-source-warnings-test-0123";
const transformed = JSON.stringify({ ...JSON.parse(template({ exports: true })), Transform: "AWS::Serverless-2016-10-31" });
const FILES = {
  "sprout.yml": `services:
  producer:
    path: services/producer
    template: template.json
  consumer:
    path: services/consumer
    template: template.json
    dependsOn: [producer]
stages:
  dev:
    services:
      consumer:
        parameters:
          Retired: "30"
`,
  "services/producer/template.json": transformed,
  "services/consumer/template.json": template({ imports: true }),
};

let app: TSourceApp;
type TWarning = { code: string; message: string; services: string[] };
const templateWarnings = (warnings: TWarning[]) => warnings.filter((w) => w.code.startsWith("template-"));

beforeAll(async () => {
  await ensureBootstrapToken(TOKEN);
  app = await sourceApp("src-warnings", FILES);
});

describe("template warnings in a source build", () => {
  it("are in the build's plan warnings and its package step's log, as a manifest deploy has them", async () => {
    expect((await postGithub(app, githubPush(app.first))).status).toBe(202);
    const done = await waitForBuild(app.name, "dev", 1);
    expect(done.status, done.error ?? "").toBe("success");
    const { body } = await call(
      buildGet,
      `/api/apps/${app.name}/stages/dev/builds/1`,
      { app: app.name, stage: "dev", number: "1" },
      { token: TOKEN },
    );
    const fromSource = templateWarnings(body.build.warnings);
    expect(fromSource.map((w) => [w.code, w.services])).toEqual([
      ["template-transform", ["producer"]],
      ["template-unused-parameter", ["consumer"]],
    ]);
    expect(fromSource[0]!.message).toMatch(
      /^producer: the template uses the transform AWS::Serverless-2016-10-31, which AWS runs when it deploys/,
    );
    expect(fromSource[1]!.message).toMatch(/^consumer: a value is given for parameter Retired, which the template does not declare/);
    const log = await logText(done.id);
    expect(log).toContain(`producer: \u001b[33mwarning: ${fromSource[0]!.message}\u001b[0m`);

    // the same templates and values as a manifest, to prod: the same warnings
    const manifest = await deploy({
      app: await appRef(app.name),
      stage: "prod",
      input: ZDeployBody.parse({
        commit: commit("as a manifest"),
        services: [
          { name: "producer", template: JSON.parse(transformed) },
          { name: "consumer", template: JSON.parse(template({ imports: true })), dependsOn: ["producer"], parameters: { Retired: "30" } },
        ],
      }),
      actor: TEST_ACTOR,
    });
    const sorted = (ws: TWarning[]) => [...ws].sort((a, b) => a.message.localeCompare(b.message));
    const fromManifest = templateWarnings(manifest.warnings as TWarning[]);
    expect(sorted(fromManifest).map((w) => w.code)).toEqual(sorted(fromSource).map((w) => w.code));
    expect(sorted(fromManifest).map((w) => w.services)).toEqual(sorted(fromSource).map((w) => w.services));
  });
});
