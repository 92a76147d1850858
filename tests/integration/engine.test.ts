import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { deploy } from "@/lib/server/operations/deploy";
import { cancelBuild } from "@/lib/server/operations/cancel-build";
import { sandboxDriver } from "@/lib/server/drivers/sandbox";
import { substituteStage } from "@/lib/core/templates";
import { billingApi, commit, notifyJob, service, waitFor } from "../support/fixtures";
import { createStage, deployAndWait, liveOf, logText, stackNames, withWorker, waitForBuild } from "../support/engine";
import { appRef, heldGuard, TEST_ACTOR } from "../support/context";
import { ZDeployBody } from "@/lib/core/validation";

withWorker();

const ms = (d: Date | null) => d!.getTime();

describe("deploy builds on the sandbox driver", () => {
  it("deploys producers first: billing-api ends before notify-job starts, and both are live", async () => {
    const stage = await createStage("seed");
    const build = await deployAndWait("seed", "prod", [
      { name: "notify-job", template: notifyJob({ imports: true }) },
      { name: "billing-api", template: billingApi({ topic: true }) },
    ]);
    expect(build.status).toBe("success");
    expect(build.steps.map((s) => [s.service, s.action, s.status, s.phase, s.after])).toEqual([
      ["billing-api", "create", "success", 1, []],
      ["notify-job", "create", "success", 2, ["billing-api"]],
    ]);
    const [billing, notify] = build.steps;
    expect(ms(notify!.startedAt)).toBeGreaterThanOrEqual(ms(billing!.finishedAt));
    expect(Object.keys(await liveOf(stage.id))).toEqual(["billing-api", "notify-job"]);
    expect(await stackNames(stage.id)).toEqual(["billing-api-prod", "notify-job-prod"]);
    expect(build.release).toEqual(await liveOf(stage.id));
    const log = await logText(build.id);
    expect(log).toContain("billing-api: CREATE_IN_PROGRESS AWS::SNS::Topic NotePurchasedTopic");
    expect(log).toContain("notify-job: \u001b[32mCREATE_COMPLETE AWS::CloudFormation::Stack notify-job-prod");
  });

  it("runs the graph as a DAG: independent branches overlap, a step waits only for its own predecessors", async () => {
    await createStage("dag");
    // a -> b (slow), a -> c (fast) -> d: d must start before b ends (not wait for b's phase)
    const build = await deployAndWait("dag", "prod", [
      { name: "a", template: service({ exports: ["A-${stage}"], seconds: 0.2 }) },
      { name: "b", template: service({ imports: ["A-${stage}"], seconds: 1.5 }) },
      { name: "c", template: service({ imports: ["A-${stage}"], exports: ["C-${stage}"], seconds: 0.2 }) },
      { name: "d", template: service({ imports: ["C-${stage}"], seconds: 0.2 }) },
    ]);
    expect(build.status).toBe("success");
    const step = Object.fromEntries(build.steps.map((s) => [s.service, s]));
    expect(ms(step.b!.startedAt)).toBeGreaterThanOrEqual(ms(step.a!.finishedAt));
    expect(ms(step.c!.startedAt)).toBeLessThan(ms(step.b!.finishedAt));
    expect(ms(step.d!.startedAt)).toBeGreaterThanOrEqual(ms(step.c!.finishedAt));
    expect(ms(step.d!.startedAt)).toBeLessThan(ms(step.b!.finishedAt));
  });

  it("a failed step fails the build, skips its dependents, lets the others finish, and live state holds what was deployed", async () => {
    const stage = await createStage("failing");
    const build = await deployAndWait("failing", "prod", [
      { name: "base", template: service({ exports: ["Base-${stage}"], fail: 'Resource handler returned message: "Rate exceeded"' }) },
      { name: "consumer", template: service({ imports: ["Base-${stage}"] }) },
      { name: "other", template: service({ seconds: 0.4 }) },
    ]);
    expect(build.status).toBe("failed");
    const step = Object.fromEntries(build.steps.map((s) => [s.service, s]));
    expect(step.base!.status).toBe("failed");
    expect(step.base!.error).toBe('Resource handler returned message: "Rate exceeded"');
    expect(step.consumer!.status).toBe("skipped");
    expect(step.other!.status).toBe("success");
    expect(build.error).toContain("base failed");
    expect(Object.keys(await liveOf(stage.id))).toEqual(["other"]);
    expect(await stackNames(stage.id)).toEqual(["other-prod"]);
  });

  it("refuses an import of an export that does not exist, with AWS's words", async () => {
    const stage = await createStage("missing-export");
    const build = await deployAndWait("missing-export", "prod", [{ name: "notify-job", template: notifyJob({ imports: true }) }]);
    expect(build.status).toBe("failed");
    expect(build.steps[0]!.error).toBe("No export named ExtNotePurchasedTopicArn-prod found.");
    expect(await stackNames(stage.id)).toEqual([]);
  });

  it("refuses to drop an export another stack imports: Export X cannot be deleted as it is in use by Y", async () => {
    const stage = await createStage("in-use");
    await deployAndWait("in-use", "prod", [
      { name: "billing-api", template: billingApi({ topic: true }) },
      { name: "notify-job", template: notifyJob({ imports: true }) },
    ]);
    // the planner refuses such a build, so drive the sandbox directly, as a wrong-order tool would
    const lines: string[] = [];
    const ctx = { log: (l: string) => lines.push(l), signal: new AbortController().signal };
    const input = {
      stage: { id: stage.id, name: "prod", region: null, endpoint: null, accountId: null, templateBucket: null },
      service: "billing-api",
      stackName: "billing-api-prod",
      artifact: "x",
      guard: heldGuard("in-use", "prod", "billing-api"),
    };
    const template = substituteStage(JSON.stringify(billingApi({ topic: false })), "prod");
    await expect(sandboxDriver.deploy({ ...input, template, parameters: {} }, ctx)).rejects.toThrow(
      "Export ExtNotePurchasedTopicArn-prod cannot be deleted as it is in use by notify-job-prod",
    );
    await expect(sandboxDriver.remove(input, ctx)).rejects.toThrow(
      "Export ExtNotePurchasedTopicArn-prod cannot be deleted as it is in use by notify-job-prod",
    );
    expect(lines.at(-1)).toBe(
      "\u001b[31mDELETE_FAILED AWS::CloudFormation::Stack billing-api-prod Export ExtNotePurchasedTopicArn-prod cannot be deleted as it is in use by notify-job-prod\u001b[0m",
    );
    const stack = await db.sandboxStack.findUniqueOrThrow({ where: { stageId_name: { stageId: stage.id, name: "billing-api-prod" } } });
    expect(Object.keys(stack.exports as object)).toEqual(["ExtNotePurchasedTopicArn-prod"]);
    // and the planner refuses the same change as a build, naming export and importer
    await expect(
      deploy({
        app: await appRef("in-use"),
        stage: "prod",
        input: ZDeployBody.parse({
          commit: commit("drop topic"),
          services: [{ name: "billing-api", template: billingApi({ topic: false }) }],
        }),
        actor: TEST_ACTOR,
      }),
    ).rejects.toThrow(/billing-api drops export ExtNotePurchasedTopicArn-prod, still imported by notify-job/);
  });

  it("reports an unchanged template as unchanged, and a malformed template is refused before anything is stored", async () => {
    await createStage("unchanged");
    await deployAndWait("unchanged", "prod", [{ name: "svc", template: service({}) }]);
    const again = await deployAndWait("unchanged", "prod", [{ name: "svc", template: service({}) }]);
    expect(again.steps.map((s) => [s.action, s.status])).toEqual([["unchanged", "unchanged"]]);
    const builds = await db.build.count({ where: { stage: { app: { name: "unchanged" } } } });
    await expect(
      deploy({
        app: await appRef("unchanged"),
        stage: "prod",
        input: ZDeployBody.parse({
          commit: commit("bad"),
          services: [{ name: "svc", template: "Resources:\n  Fn:\n    Type: [unclosed\n" }],
        }),
        actor: TEST_ACTOR,
      }),
    ).rejects.toThrow(/services\[0\]\.template: svc template, line \d+/);
    expect(await db.build.count({ where: { stage: { app: { name: "unchanged" } } } })).toBe(builds);
  });
});

describe("the stage's queue", () => {
  it("runs one build at a time per stage; the later one waits as queued", async () => {
    await createStage("serial");
    const first = await deploy({
      app: await appRef("serial"),
      stage: "prod",
      input: ZDeployBody.parse({ commit: commit("one"), services: [{ name: "svc", template: service({ seconds: 1, version: 1 }) }] }),
      actor: TEST_ACTOR,
    });
    const second = await deploy({
      app: await appRef("serial"),
      stage: "prod",
      input: ZDeployBody.parse({ commit: commit("two"), services: [{ name: "svc", template: service({ seconds: 0.2, version: 2 }) }] }),
      actor: TEST_ACTOR,
    });
    await waitFor(
      "first to run",
      async () =>
        (await db.build.findFirst({ where: { number: first.number, status: "running", stage: { app: { name: "serial" } } } })) ?? null,
    );
    const waiting = await db.build.findFirstOrThrow({ where: { number: second.number, stage: { app: { name: "serial" } } } });
    expect(waiting.status).toBe("queued");
    const a = await waitForBuild("serial", "prod", first.number);
    const b = await waitForBuild("serial", "prod", second.number);
    expect([a.status, b.status]).toEqual(["success", "success"]);
    expect(ms(b.startedAt)).toBeGreaterThanOrEqual(ms(a.finishedAt));
  });

  it("cancels a queued build at once, and a running one by stopping its running step", async () => {
    const stage = await createStage("cancel");
    const running = await deploy({
      app: await appRef("cancel"),
      stage: "prod",
      input: ZDeployBody.parse({
        commit: commit("slow"),
        services: [
          { name: "first", template: service({ exports: ["First-${stage}"], seconds: 1000 }) },
          { name: "second", template: service({ imports: ["First-${stage}"] }) },
        ],
      }),
      actor: TEST_ACTOR,
    });
    const queued = await deploy({
      app: await appRef("cancel"),
      stage: "prod",
      input: ZDeployBody.parse({ commit: commit("later"), services: [{ name: "third", template: service({}) }] }),
      actor: TEST_ACTOR,
    });
    await waitFor(
      "first step to run",
      async () => (await db.step.findFirst({ where: { service: "first", status: "running", build: { stageId: stage.id } } })) ?? null,
    );
    const canceledQueued = await cancelBuild({ app: await appRef("cancel"), stage: "prod", number: queued.number, actor: TEST_ACTOR });
    expect(canceledQueued.status).toBe("canceled");
    expect(canceledQueued.steps.map((s) => s.status)).toEqual(["canceled"]);
    const asked = await cancelBuild({ app: await appRef("cancel"), stage: "prod", number: running.number, actor: TEST_ACTOR });
    expect(asked.cancelRequested).toBe(true);
    const done = await waitForBuild("cancel", "prod", running.number);
    expect(done.status).toBe("canceled");
    expect(done.steps.map((s) => [s.service, s.status])).toEqual([
      ["first", "canceled"],
      ["second", "canceled"],
    ]);
    expect(await liveOf(stage.id)).toEqual({});
    await expect(
      cancelBuild({ app: await appRef("cancel"), stage: "prod", number: running.number, actor: TEST_ACTOR }),
    ).resolves.toMatchObject({ status: "canceled" });
    await expect(cancelBuild({ app: await appRef("cancel"), stage: "prod", number: 999, actor: TEST_ACTOR })).rejects.toThrow(
      "Build #999 not found in cancel/prod.",
    );
  });
});
