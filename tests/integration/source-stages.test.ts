// Stages and source builds: the branch a stage tracks and whether a push deploys it, through the
// routes (prod defaults to no autoDeploy); a newer push ends waiting push builds but never a manual
// deploy or a rollback; and sprout.yml's per-stage parameters reach prod's build.
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { ZSourceDeploy } from "@/lib/core/validation";
import type { TActor } from "@/lib/server/context";
import { getBuild } from "@/lib/server/data/get-build";
import { deploySource } from "@/lib/server/operations/deploy-source";
import { rollback } from "@/lib/server/operations/rollback";
import { POST as appsPost } from "@/app/api/apps/route";
import { POST as stagesPost } from "@/app/api/apps/[app]/stages/route";
import { PATCH as stagePatch } from "@/app/api/apps/[app]/stages/[stage]/route";
import { call, signIn, userWithRole } from "../support/auth";
import { appRef } from "../support/context";
import { waitFor } from "../support/fixtures";
import { waitForBuild, withWorker } from "../support/engine";
import { tempDir } from "../support/git-repo";
import { githubPush, INITIAL, postGithub, sourceApp, template } from "../support/source";

withWorker();

const ADA: TActor = { kind: "user", id: "u-ada", email: "ada@example.com", name: "Ada", isAdmin: false, label: "user:ada@example.com" };

const buildOf = (app: string, stage: string, number: number) =>
  db.build.findFirstOrThrow({ where: { number, stage: { name: stage, app: { name: app } } } });

describe("a stage's branch and autoDeploy through the API", () => {
  it("POST /api/apps and POST …/stages default autoDeploy to on, off for prod; PATCH changes both", async () => {
    const root = await userWithRole("root@example.com", null, null, { isAdmin: true });
    const { cookie } = await signIn(root.email);
    const created = await call(
      appsPost,
      "/api/apps",
      {},
      { cookie, body: { name: "st-api", stages: [{ name: "dev", branch: "main" }, { name: "prod" }] } },
    );
    expect(created.status).toBe(201);
    const rows = await db.stage.findMany({ where: { app: { name: "st-api" } }, orderBy: { position: "asc" } });
    expect(rows.map((s) => [s.name, s.branch, s.autoDeploy])).toEqual([
      ["dev", "main", true],
      ["prod", null, false],
    ]);

    const add = (body: object) => call(stagesPost, "/api/apps/st-api/stages", { app: "st-api" }, { cookie, body });
    const qa = await add({ name: "qa", branch: "develop" });
    expect([qa.status, qa.body.stage.branch, qa.body.stage.autoDeploy]).toEqual([201, "develop", true]);
    const staging = await add({ name: "staging", branch: "main", autoDeploy: false });
    expect([staging.status, staging.body.stage.branch, staging.body.stage.autoDeploy]).toEqual([201, "main", false]);
    await call(appsPost, "/api/apps", {}, { cookie, body: { name: "st-api-2", stages: [{ name: "dev" }] } });
    const laterProd = await call(
      stagesPost,
      "/api/apps/st-api-2/stages",
      { app: "st-api-2" },
      { cookie, body: { name: "prod", branch: "main" } },
    );
    expect([laterProd.status, laterProd.body.stage.branch, laterProd.body.stage.autoDeploy]).toEqual([201, "main", false]);
    const bad = await add({ name: "edge", branch: "--upload-pack=evil" });
    expect(bad.status).toBe(400);
    expect(bad.body.error!.message).toMatch(/^branch: /);

    const patch = (stage: string, body: object) =>
      call(stagePatch, `/api/apps/st-api/stages/${stage}`, { app: "st-api", stage }, { cookie, method: "PATCH", body });
    const prod = await patch("prod", { branch: "release", autoDeploy: true });
    expect([prod.status, prod.body.stage.branch, prod.body.stage.autoDeploy]).toEqual([200, "release", true]);
    expect((await patch("qa", { autoDeploy: false })).body.stage).toMatchObject({ branch: "develop", autoDeploy: false });
    expect((await patch("qa", { branch: null })).body.stage).toMatchObject({ branch: null, autoDeploy: false });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "stage.update", target: "prod", app: { name: "st-api" } } });
    expect(audit.detail).toEqual({ branch: { from: null, to: "release" }, autoDeploy: { from: false, to: true } });
  });

  it("a push to the branch a PATCH gave prod builds prod; one to a branch no stage deploys is ignored", async () => {
    const app = await sourceApp("st-push");
    await userWithRole("admin@st-push.example", app.name, "admin");
    const { cookie } = await signIn("admin@st-push.example");
    const res = await call(
      stagePatch,
      `/api/apps/${app.name}/stages/prod`,
      { app: app.name, stage: "prod" },
      { cookie, method: "PATCH", body: { branch: "release", autoDeploy: true } },
    );
    expect(res.status).toBe(200);
    const release = await app.origin.commit({ "README.md": "release" }, "Release", "release");
    expect((await postGithub(app, githubPush(release, "release"))).body).toEqual({
      builds: [{ stage: "prod", number: 1, status: "queued" }],
    });
    expect((await waitForBuild(app.name, "prod", 1)).status).toBe("success");
    expect((await postGithub(app, githubPush(release, "hotfix"))).body).toEqual({
      ignored: `no stage of ${app.name} deploys branch hotfix on push`,
    });
  });
});

describe("superseding", () => {
  it("a newer push ends the push build still waiting, never a manual deploy or a rollback queued behind the running build", async () => {
    const gate = path.join(await tempDir("gate"), "open");
    await fs.writeFile(gate, "");
    const app = await sourceApp("st-supersede", {
      ...INITIAL,
      "services/producer/build.sh": {
        text: `#!/bin/sh\nwhile [ ! -f ${gate} ]; do sleep 0.05; done\nmkdir -p .sprout\ncp template.src.json .sprout/template.json\n`,
        mode: 0o755,
      },
    });
    const ref = await appRef(app.name);
    await postGithub(app, githubPush(app.first));
    expect((await waitForBuild(app.name, "dev", 1)).status).toBe("success");
    const v2 = await app.origin.commit({ "services/consumer/template.json": template({ imports: true, version: "v2" }) }, "consumer v2");
    await postGithub(app, githubPush(v2));
    expect((await waitForBuild(app.name, "dev", 2)).status).toBe("success");

    // #3 runs, held by its build command; #4 (push), #5 (manual), #6 (rollback to #1) wait behind it
    await fs.rm(gate);
    const v3 = await app.origin.commit({ "services/producer/notes.txt": "v3" }, "producer v3");
    await postGithub(app, githubPush(v3));
    await waitFor("#3's build command to run", async () => {
      const step = await db.step.findFirst({
        where: { key: "package:producer", build: { number: 3, stage: { name: "dev", app: { name: app.name } } } },
      });
      return step?.status === "running";
    });
    const v4 = await app.origin.commit({ "README.md": "v4" }, "readme v4");
    expect((await postGithub(app, githubPush(v4))).body).toEqual({ builds: [{ stage: "dev", number: 4, status: "queued" }] });
    const manual = await deploySource({ app: ref, stage: "dev", input: ZSourceDeploy.parse({ ref: v2 }), actor: ADA });
    const back = await rollback({ app: ref, stage: "dev", number: 1, actor: ADA });
    expect([manual.number, manual.trigger, back.build.number, back.build.trigger]).toEqual([5, "manual", 6, "rollback"]);

    const v7 = await app.origin.commit({ "README.md": "v7" }, "readme v7");
    expect((await postGithub(app, githubPush(v7))).body).toEqual({ builds: [{ stage: "dev", number: 7, status: "queued" }] });
    expect(await buildOf(app.name, "dev", 4)).toMatchObject({ status: "skipped", supersededBy: 7, skippedReason: "superseded by #7" });
    for (const n of [5, 6]) expect(await buildOf(app.name, "dev", n)).toMatchObject({ status: "queued", supersededBy: null });

    await fs.writeFile(gate, "");
    expect((await waitForBuild(app.name, "dev", 3)).status).toBe("success");
    const ran = await waitForBuild(app.name, "dev", 5);
    expect([ran.status, ran.commitSha]).toEqual(["success", v2]);
    expect((await waitForBuild(app.name, "dev", 6)).status).toBe("success");
    await waitForBuild(app.name, "dev", 7); // the rollback pinned dev: the push after it is skipped or runs, either way it ends
  });
});

describe("sprout.yml's per-stage parameters", () => {
  const producer = JSON.stringify({
    Parameters: { TopicName: { Type: "String", Default: "notes-topic" } },
    Resources: { Topic: { Type: "AWS::SNS::Topic", Properties: { TopicName: { Ref: "TopicName" } } } },
    Outputs: { Topic: { Value: { Ref: "Topic" }, Export: { Name: "Topic-${stage}" } } },
  });

  it("a source build on prod deploys with stages.prod.services.X.parameters; dev keeps the template's default", async () => {
    const app = await sourceApp("st-params", {
      ...INITIAL,
      "sprout.yml": `${INITIAL["sprout.yml"] as string}stages:\n  prod:\n    services:\n      producer:\n        parameters: { TopicName: purchases }\n`,
      "services/producer/template.src.json": producer,
    });
    const ref = await appRef(app.name);
    const prod = await deploySource({ app: ref, stage: "prod", input: ZSourceDeploy.parse({}), actor: ADA });
    expect((await waitForBuild(app.name, "prod", prod.number)).status).toBe("success");
    await postGithub(app, githubPush(app.first));
    expect((await waitForBuild(app.name, "dev", 1)).status).toBe("success");

    const producerParameters = async (stage: string, number: number) =>
      (await getBuild({ app: ref, stage, number })).build.steps.find((s) => s.key === "producer")!.parameters;
    expect(await producerParameters("prod", prod.number)).toEqual({ TopicName: "purchases" });
    expect(await producerParameters("dev", 1)).toEqual({ TopicName: "notes-topic" });
    const stack = async (stage: string) =>
      db.sandboxStack.findFirstOrThrow({ where: { name: `producer-${stage}`, stage: { name: stage, app: { name: app.name } } } });
    expect((await stack("prod")).parameters).toEqual({ TopicName: "purchases" });
    expect((await stack("dev")).parameters).toEqual({ TopicName: "notes-topic" });
  });
});
