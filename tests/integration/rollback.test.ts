// The seed's scenario and its variants, on the sandbox driver, through the same operations the API
// and the dashboard call.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { rollback, rollbackPlan } from "@/lib/server/operations/rollback";
import { substituteStage } from "@/lib/core/templates";
import { sandboxDriver } from "@/lib/server/drivers/sandbox";
import { billingApi, notifyJob, service } from "../support/fixtures";
import { createStage, deployAndWait, liveOf, runOrder, seedScenario, stackNames, withWorker, waitForBuild } from "../support/engine";
import { appRef, heldGuard, TEST_ACTOR } from "../support/context";

withWorker();

const ms = (d: Date | null) => d!.getTime();

describe("rollback", () => {
  it("the seed: rolls back notify-job before billing-api, succeeds, and restores #1's release", async () => {
    const { stage, first } = await seedScenario("seed-rb");
    const plan = await rollbackPlan({ app: await appRef("seed-rb"), stage: "prod", number: 1 });
    expect(plan.order).toBe("1. notify-job  2. billing-api");
    expect(plan.steps.map((s) => [s.service, s.action, s.phase, s.after])).toEqual([
      ["notify-job", "update", 1, []],
      ["billing-api", "update", 2, ["notify-job"]],
    ]);
    expect(plan.warnings.map((w) => w.code)).toContain("export-in-use");

    const { build, created } = await rollback({ app: await appRef("seed-rb"), stage: "prod", number: 1, actor: TEST_ACTOR });
    expect(created).toBe(true);
    expect([build.number, build.kind, build.rollbackOf, build.status]).toEqual([3, "rollback", 1, "queued"]);
    const done = await waitForBuild("seed-rb", "prod", 3);
    expect(done.status).toBe("success");
    expect(runOrder(done.steps)).toEqual(["notify-job", "billing-api"]);
    const [notify, billing] = done.steps;
    expect(ms(billing!.startedAt)).toBeGreaterThanOrEqual(ms(notify!.finishedAt));
    expect(await liveOf(stage.id)).toEqual(first.release);
    const billingStack = await db.sandboxStack.findUniqueOrThrow({
      where: { stageId_name: { stageId: stage.id, name: "billing-api-prod" } },
    });
    expect(billingStack.exports).toEqual({});
    // now #1 is live: rolling back to it again is refused; #2 (roll forward) is eligible
    await expect(rollback({ app: await appRef("seed-rb"), stage: "prod", number: 1, actor: TEST_ACTOR })).rejects.toThrow(
      "Build #1's release is what is live now; there is nothing to roll back.",
    );
    await expect(rollbackPlan({ app: await appRef("seed-rb"), stage: "prod", number: 2 })).resolves.toMatchObject({
      order: "1. billing-api  2. notify-job",
    });
  });

  it("the same artifacts applied producer-first fail on the sandbox with AWS's words (so the test above can fail)", async () => {
    const { stage, first } = await seedScenario("seed-wrong");
    const artifact = await db.artifact.findUniqueOrThrow({ where: { digest: (first.release as Record<string, string>)["billing-api"] } });
    const lines: string[] = [];
    await expect(
      sandboxDriver.deploy(
        {
          stage: { id: stage.id, name: "prod", region: null, endpoint: null, accountId: null, templateBucket: null },
          service: "billing-api",
          stackName: "billing-api-prod",
          guard: heldGuard("seed-wrong", "prod", "billing-api"),
          template: substituteStage(artifact.template, "prod"),
          artifact: artifact.digest,
          parameters: {},
        },
        { log: (l) => lines.push(l), signal: new AbortController().signal },
      ),
    ).rejects.toThrow("Export ExtNotePurchasedTopicArn-prod cannot be deleted as it is in use by notify-job-prod");
    // the step's log says what AWS would: the update failed and was rolled back
    expect(lines.at(-2)).toMatch(
      /UPDATE_FAILED AWS::CloudFormation::Stack billing-api-prod Export ExtNotePurchasedTopicArn-prod cannot be deleted/,
    );
    expect(lines.at(-1)).toBe("UPDATE_ROLLBACK_COMPLETE AWS::CloudFormation::Stack billing-api-prod");
  });

  it("a target that RE-ADDS an export deploys the producer first", async () => {
    await createStage("readd");
    const both = (exportX: boolean) => [
      { name: "producer", template: service({ exports: exportX ? ["X-${stage}"] : [], version: exportX ? 1 : 2 }) },
      {
        name: "consumer",
        dependsOn: ["producer"],
        template: service({ imports: exportX ? ["X-${stage}"] : [], version: exportX ? 1 : 2 }),
      },
    ];
    await deployAndWait("readd", "prod", both(true));
    expect((await deployAndWait("readd", "prod", both(false))).status).toBe("success");
    const plan = await rollbackPlan({ app: await appRef("readd"), stage: "prod", number: 1 });
    expect(plan.order).toBe("1. producer  2. consumer");
    expect(plan.warnings.map((w) => w.code)).toContain("edge-dropped");
    const { build } = await rollback({ app: await appRef("readd"), stage: "prod", number: 1, actor: TEST_ACTOR });
    const done = await waitForBuild("readd", "prod", build.number);
    expect(done.status).toBe("success");
    expect(runOrder(done.steps)).toEqual(["producer", "consumer"]);
  });

  it("a diamond rolls back from the leaves: d, then b and c in parallel, then a", async () => {
    await createStage("diamond");
    const graph = (v: number) => [
      { name: "a", template: service({ exports: ["A-${stage}"], version: v, seconds: 0.3 }) },
      { name: "b", template: service({ imports: ["A-${stage}"], exports: ["B-${stage}"], version: v, seconds: 0.3 }) },
      { name: "c", template: service({ imports: ["A-${stage}"], exports: ["C-${stage}"], version: v, seconds: 0.3 }) },
      { name: "d", template: service({ imports: ["B-${stage}", "C-${stage}"], version: v, seconds: 0.3 }) },
    ];
    await deployAndWait("diamond", "prod", graph(1));
    await deployAndWait("diamond", "prod", graph(2));
    const plan = await rollbackPlan({ app: await appRef("diamond"), stage: "prod", number: 1 });
    expect(plan.steps.map((s) => [s.service, s.phase])).toEqual([
      ["d", 1],
      ["b", 2],
      ["c", 2],
      ["a", 3],
    ]);
    const { build } = await rollback({ app: await appRef("diamond"), stage: "prod", number: 1, actor: TEST_ACTOR });
    const done = await waitForBuild("diamond", "prod", build.number);
    expect(done.status).toBe("success");
    const step = Object.fromEntries(done.steps.map((s) => [s.service, s]));
    expect(ms(step.b!.startedAt)).toBeGreaterThanOrEqual(ms(step.d!.finishedAt));
    expect(ms(step.c!.startedAt)).toBeLessThan(ms(step.b!.finishedAt)); // b and c overlap
    expect(ms(step.a!.startedAt)).toBeGreaterThanOrEqual(Math.max(ms(step.b!.finishedAt), ms(step.c!.finishedAt)));
  });

  it("a service added by the faulty build is removed, consumer first", async () => {
    const stage = await createStage("added");
    const first = await deployAndWait("added", "prod", [{ name: "billing-api", template: billingApi({ topic: false }) }]);
    await deployAndWait("added", "prod", [
      { name: "billing-api", template: billingApi({ topic: true }) },
      { name: "notify-job", template: notifyJob({ imports: true }) },
    ]);
    const plan = await rollbackPlan({ app: await appRef("added"), stage: "prod", number: 1 });
    expect(plan.steps.map((s) => [s.service, s.action])).toEqual([
      ["notify-job", "remove"],
      ["billing-api", "update"],
    ]);
    const { build } = await rollback({ app: await appRef("added"), stage: "prod", number: 1, actor: TEST_ACTOR });
    const done = await waitForBuild("added", "prod", build.number);
    expect(done.status).toBe("success");
    expect(runOrder(done.steps)).toEqual(["notify-job", "billing-api"]);
    expect(await stackNames(stage.id)).toEqual(["billing-api-prod"]);
    expect(await liveOf(stage.id)).toEqual(first.release);
  });

  it("20 concurrent rollback requests create ONE build; the others get that build", async () => {
    const { stage } = await seedScenario("concurrent");
    const app = await appRef("concurrent");
    const answers = await Promise.all(Array.from({ length: 20 }, () => rollback({ app, stage: "prod", number: 1, actor: TEST_ACTOR })));
    expect(answers.filter((a) => a.created)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.build.number))).toEqual(new Set([3]));
    expect(await db.build.count({ where: { stageId: stage.id, kind: "rollback" } })).toBe(1);
    expect((await db.stage.findUniqueOrThrow({ where: { id: stage.id } })).lastBuildNumber).toBe(3);
    await waitForBuild("concurrent", "prod", 3);
  });

  it("refuses with reasons and changes nothing: unknown build, failed build, other stage, a different rollback in flight", async () => {
    const { stage } = await seedScenario("refusals");
    await db.stage.create({ data: { appId: stage.appId, name: "dev", position: 0 } });
    const failed = await deployAndWait("refusals", "prod", [
      { name: "billing-api", template: billingApi({ topic: true, fail: "Rate exceeded" }) },
    ]);
    const before = await db.build.count();
    await expect(rollback({ app: await appRef("refusals"), stage: "prod", number: 99, actor: TEST_ACTOR })).rejects.toMatchObject({
      code: "not_found",
      message: "Build #99 not found in refusals/prod.",
    });
    await expect(
      rollback({ app: await appRef("refusals"), stage: "prod", number: failed.number, actor: TEST_ACTOR }),
    ).rejects.toMatchObject({
      code: "conflict",
      message: `Build #${failed.number} failed; only a successful build can be rolled back to.`,
    });
    await expect(rollback({ app: await appRef("refusals"), stage: "dev", number: 1, actor: TEST_ACTOR })).rejects.toMatchObject({
      code: "not_found",
      message: "Build #1 not found in refusals/dev.",
    });
    await expect(rollbackPlan({ app: await appRef("refusals"), stage: "prod", number: 2 })).rejects.toMatchObject({ code: "conflict" }); // #2 is live
    expect(await db.build.count()).toBe(before);

    const { build } = await rollback({ app: await appRef("refusals"), stage: "prod", number: 1, actor: TEST_ACTOR });
    // while it is queued/running, a rollback to another target is refused with the build to wait for
    await db.build.update({
      where: { stageId_number: { stageId: stage.id, number: 2 } },
      data: { release: { "billing-api": "sha256:gone" } },
    });
    await expect(rollback({ app: await appRef("refusals"), stage: "prod", number: 2, actor: TEST_ACTOR })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining(`Build #${build.number} (rollback to #1) is already`),
    });
    await waitForBuild("refusals", "prod", build.number);
  });

  it("refuses a plan no single pass can satisfy, naming the export and the services", async () => {
    await createStage("two-pass");
    // Literal values: the change is certain, so it is refused up front (a change of `Ref T` to
    // `Ref U` is AWS's to judge: the planner warns and plans it).
    const producer = (value: string) => ({
      Resources: { T: { Type: "AWS::SNS::Topic" }, U: { Type: "AWS::SNS::Topic" } },
      Outputs: { Arn: { Value: `arn:aws:sns:us-east-1:000000000000:${value}`, Export: { Name: "TopicArn-${stage}" } } },
      Metadata: { Sprout: { deploySeconds: 0.1 } },
    });
    await deployAndWait("two-pass", "prod", [
      { name: "producer", template: producer("T") },
      { name: "consumer", template: service({ imports: ["TopicArn-${stage}"] }) },
    ]);
    // move the consumer off the export, change its value, then import it again: each a legal build
    await deployAndWait("two-pass", "prod", [{ name: "consumer", template: service({ version: 2 }) }]);
    await deployAndWait("two-pass", "prod", [{ name: "producer", template: producer("U") }]);
    expect(
      (await deployAndWait("two-pass", "prod", [{ name: "consumer", template: service({ imports: ["TopicArn-${stage}"], version: 3 }) }]))
        .status,
    ).toBe("success");
    const attempt = rollback({ app: await appRef("two-pass"), stage: "prod", number: 1, actor: TEST_ACTOR });
    await expect(attempt).rejects.toMatchObject({ code: "conflict", details: { plan: { code: "export-still-imported" } } });
    await expect(attempt).rejects.toThrow(/TopicArn-prod/);
    await expect(attempt).rejects.toThrow(/consumer/);
  });
});
