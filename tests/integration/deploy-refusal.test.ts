// A deploy the server refuses writes nothing: no service joins the app, no artifact is stored, no
// build is numbered. Through the real route handler, for each kind of refusal.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { ensureBootstrapToken } from "@/lib/server/auth/tokens";
import { POST as deployPost } from "@/app/api/apps/[app]/stages/[stage]/builds/route";
import { commit, service } from "../support/fixtures";
import { createStage, deployAndWait, withWorker } from "../support/engine";
import { call } from "../support/auth";

withWorker();

const APP = "refusals";
const TOKEN = "bootstrap-token-for-the-refusal-test-0123456789";

const tables = async () => ({
  services: (await db.service.findMany({ orderBy: { name: "asc" }, select: { name: true } })).map((s) => s.name),
  artifacts: (await db.artifact.findMany({ orderBy: { digest: "asc" }, select: { digest: true } })).map((a) => a.digest),
  builds: (await db.build.findMany({ orderBy: { id: "asc" }, select: { id: true } })).map((b) => b.id),
  lastNumber: (await db.stage.findFirstOrThrow({ where: { app: { name: APP } } })).lastBuildNumber,
});

const deploy = (services: unknown[], message = "refused") =>
  call(deployPost, "/x", { app: APP, stage: "prod" }, { token: TOKEN, body: { commit: commit(message), services } });

beforeAll(async () => {
  await ensureBootstrapToken(TOKEN);
  await createStage(APP);
  // live: `producer` exports Shared-prod, `consumer` imports it
  const first = await deployAndWait(APP, "prod", [
    { name: "producer", template: service({ exports: ["Shared-${stage}"], seconds: 0.05 }) },
    { name: "consumer", template: service({ imports: ["Shared-${stage}"], seconds: 0.05 }) },
  ]);
  expect(first.status).toBe("success");
});

describe("a refused deploy", () => {
  it.each<[string, number, unknown[], RegExp]>([
    ["an unknown dependency", 400, [{ name: "newcomer", dependsOn: ["ghost"], template: service({ version: 2 }) }], /ghost/],
    [
      "a dependency cycle",
      400,
      [
        { name: "left", dependsOn: ["right"], template: service({ version: 3 }) },
        { name: "right", dependsOn: ["left"], template: service({ version: 4 }) },
      ],
      /cycle/i,
    ],
    [
      "an export dropped while still imported",
      409,
      [
        { name: "producer", template: service({ version: 5 }) },
        { name: "newcomer", template: service({ version: 6 }) },
      ],
      /Shared-prod/,
    ],
    [
      "a NUL byte in a template",
      400,
      [{ name: "newcomer", template: { Resources: { T: { Type: "AWS::SNS::Topic", Properties: { TopicName: "a\u0000b" } } } } }],
      /NUL/,
    ],
  ])("because of %s leaves services, artifacts and builds as they were", async (_, status, services, message) => {
    const before = await tables();
    const res = await deploy(services);
    expect(res.status).toBe(status);
    expect(res.body.error!.message).toMatch(message);
    expect(await tables()).toEqual(before);
  });

  it("a NUL byte in the commit message leaves them too", async () => {
    const before = await tables();
    const res = await deploy([{ name: "newcomer", template: service({ version: 7 }) }], "bad\u0000commit");
    expect(res.status).toBe(400);
    expect(await tables()).toEqual(before);
  });

  it("an accepted deploy stores its artifacts and services with its build", async () => {
    const before = await tables();
    const res = await deploy([{ name: "newcomer", template: service({ version: 8 }) }], "accepted");
    expect(res.status).toBe(201);
    const after = await tables();
    expect(after.services).toEqual([...before.services, "newcomer"].sort());
    expect(after.artifacts.length).toBe(before.artifacts.length + 1);
    expect(after.builds.length).toBe(before.builds.length + 1);
    expect(after.lastNumber).toBe(before.lastNumber + 1);
  });
});
