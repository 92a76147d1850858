// The cloudformation driver against a real CloudFormation API: the AWS SDK talking to moto in strict
// mode, which refuses a wrong order with AWS's words. Builds run through the same operations the
// API and the dashboard call, with an in-process worker.
import {
  type CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListExportsCommand,
  UpdateStackCommand,
} from "@aws-sdk/client-cloudformation";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { deploy } from "@/lib/server/operations/deploy";
import { refreshStage } from "@/lib/server/operations/refresh-stage";
import { rollback, rollbackPlan } from "@/lib/server/operations/rollback";
import { updateStage } from "@/lib/server/operations/stages";
import { unpinStage } from "@/lib/server/operations/pin";
import { substituteStage } from "@/lib/core/templates";
import { cloudformationDriver } from "@/lib/server/drivers/cloudformation";
import { StepStopped, type TDriverStage, type TStopReason } from "@/lib/server/drivers/types";
import { commit } from "../support/fixtures";
import { createStage, deployAndWait, liveOf, logText, runOrder, seedScenario, withWorker, waitForBuild } from "../support/engine";
import { cfnClient, startMoto, useTestCredentials, type TMoto } from "../support/moto";
import { appRef, heldGuard, TEST_ACTOR } from "../support/context";
import { ZDeployBody, ZStagePatch } from "@/lib/core/validation";

const EXPORT = "ExtNotePurchasedTopicArn-prod";
let moto: TMoto;
let cfn: CloudFormationClient;

beforeAll(async () => {
  // the driver takes credentials from the worker's environment; moto accepts any
  useTestCredentials();
  moto = await startMoto();
  cfn = cfnClient(moto);
});
afterAll(async () => {
  await moto?.stop();
});
withWorker(); // registered after moto's hooks: starts once moto is up, stops before it (hooks stack)
beforeEach(async () => {
  await moto.reset();
  // a reset endpoint is an empty account: the apps of earlier tests hold none of its stack names
  await db.stackClaim.deleteMany();
});

// Resources stay across versions and imports sit in a property of a resource that stays (moto
// mishandles a resource removed then added back, and skips SNS subscriptions).
function billingApi(opts: { topic: boolean; version?: string; importMissing?: boolean }) {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Resources: {
      Version: {
        Type: "AWS::SSM::Parameter",
        Properties: { Name: "/billing-api/${stage}/version", Type: "String", Value: opts.version ?? (opts.topic ? "v2" : "v1") },
      },
      ...(opts.topic ? { NotePurchasedTopic: { Type: "AWS::SNS::Topic", Properties: { TopicName: "note-purchased-${stage}" } } } : {}),
    },
    Outputs: {
      ...(opts.topic
        ? { NotePurchasedTopicArn: { Value: { Ref: "NotePurchasedTopic" }, Export: { Name: "ExtNotePurchasedTopicArn-${stage}" } } }
        : {}),
      ...(opts.importMissing ? { Pricing: { Value: { "Fn::ImportValue": "ExtPricingTable-${stage}" } } } : {}),
      VersionName: { Value: { Ref: "Version" } },
    },
  };
}
function notifyJob(opts: { imports: boolean; version?: string }) {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Resources: {
      Topic: {
        Type: "AWS::SSM::Parameter",
        Properties: {
          Name: "/notify-job/${stage}/topic",
          Type: "String",
          Value: opts.imports ? { "Fn::ImportValue": "ExtNotePurchasedTopicArn-${stage}" } : (opts.version ?? "none"),
        },
      },
    },
  };
}

async function cfnStage(app: string) {
  const stage = await createStage(app);
  await updateStage({
    app: await appRef(app),
    stage: "prod",
    input: ZStagePatch.parse({ driver: "cloudformation", endpoint: moto.endpoint }),
    actor: TEST_ACTOR,
  });
  return stage;
}
const driverStage = (id: number): TDriverStage => ({
  id,
  name: "prod",
  region: null,
  endpoint: moto.endpoint,
  accountId: null,
  templateBucket: null,
});
const ctx = (lines: string[] = []) => ({ log: (l: string) => lines.push(l), signal: new AbortController().signal });

async function stackStatus(name: string): Promise<string | null> {
  try {
    return (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.StackStatus ?? null;
  } catch (e) {
    if (/does not exist/.test((e as Error).message)) return null;
    throw e;
  }
}
const exportNames = async () => ((await cfn.send(new ListExportsCommand({}))).Exports ?? []).map((e) => e.Name);

/** The seed's scenario with these templates on a cloudformation stage: #2 created the export, producer first. */
async function seedCfnScenario(app: string) {
  const seeded = await seedScenario(app, { templates: { billingApi, notifyJob }, newStage: cfnStage });
  expect(runOrder(seeded.faulty.steps)).toEqual(["billing-api", "notify-job"]);
  expect(await exportNames()).toContain(EXPORT);
  return seeded;
}

describe("cloudformation driver", () => {
  it("the seed on CloudFormation: rolls back notify-job before billing-api, and the export is gone", async () => {
    const { stage, first } = await seedCfnScenario("cfn-seed");
    const plan = await rollbackPlan({ app: await appRef("cfn-seed"), stage: "prod", number: 1 });
    expect(plan.order).toBe("1. notify-job  2. billing-api");
    expect(plan.blocking).toEqual([]);
    const { build } = await rollback({ app: await appRef("cfn-seed"), stage: "prod", number: 1, actor: TEST_ACTOR });
    const done = await waitForBuild("cfn-seed", "prod", build.number);
    const log = await logText(done.id);
    expect(done.status, log).toBe("success");
    expect(runOrder(done.steps)).toEqual(["notify-job", "billing-api"]);
    expect(await exportNames()).not.toContain(EXPORT);
    expect(await liveOf(stage.id)).toEqual(first.release);
    // the stack's own events, CloudFormation style: TIMESTAMP STATUS TYPE LOGICAL-ID
    expect(log).toMatch(
      /notify-job: \S*\d{4}-\d\d-\d\dT[\d:.]+Z UPDATE_IN_PROGRESS AWS::CloudFormation::Stack notify-job-prod User Initiated/,
    );
    expect(log).toMatch(/billing-api: \S*\d{4}-\d\d-\d\dT[\d:.]+Z UPDATE_COMPLETE AWS::CloudFormation::Stack billing-api-prod/);
    // events of earlier operations are not repeated in this build's log
    expect(log).not.toMatch(/CREATE_IN_PROGRESS/);
    // the rollback pinned the stage: unpin it before deploying again
    await unpinStage({ app: await appRef("cfn-seed"), stage: "prod", actor: TEST_ACTOR });
    expect(
      (await deployAndWait("cfn-seed", "prod", [{ name: "notify-job", template: notifyJob({ imports: false }) }])).steps[0]!.status,
    ).toBe("unchanged");
  });

  it("the same rollback forced producer-first fails with the endpoint's own words (so the test above can fail)", async () => {
    const { stage, first } = await seedCfnScenario("cfn-wrong");
    const artifact = await db.artifact.findUniqueOrThrow({ where: { digest: (first.release as Record<string, string>)["billing-api"] } });
    const lines: string[] = [];
    const input = {
      stage: driverStage(stage.id),
      service: "billing-api",
      stackName: "billing-api-prod",
      guard: heldGuard("cfn-wrong", "prod", "billing-api"),
    };
    await expect(
      cloudformationDriver.deploy(
        { ...input, template: substituteStage(artifact.template, "prod"), artifact: artifact.digest, parameters: {} },
        ctx(lines),
      ),
    ).rejects.toThrow(`Cannot delete export ${EXPORT} as it is in use by notify-job-prod.`);
    expect(lines.join("\n")).toMatch(/UPDATE_ROLLBACK_COMPLETE AWS::CloudFormation::Stack billing-api-prod/);
    await expect(cloudformationDriver.remove(input, ctx())).rejects.toThrow(
      `Export ${EXPORT} cannot be deleted as it is in use by notify-job-prod`,
    );
    expect(await stackStatus("billing-api-prod")).not.toBeNull();
    expect(await exportNames()).toContain(EXPORT);
  });

  // moto ends every operation within its call, so a stop can only come before one starts or after
  // it ended; a stop mid-operation (CancelUpdateStack, waiting for a create to settle) is not reached here.
  it("a stopped step starts nothing on the stack; a stop that comes once the update ended leaves its real outcome", async () => {
    const stage = await cfnStage("cfn-stop");
    expect((await deployAndWait("cfn-stop", "prod", [{ name: "billing-api", template: billingApi({ topic: false }) }])).status).toBe(
      "success",
    );
    const template = async () => (await cfn.send(new GetTemplateCommand({ StackName: "billing-api-prod" }))).TemplateBody;
    const v1 = await template();
    const input = {
      stage: driverStage(stage.id),
      service: "billing-api",
      stackName: "billing-api-prod",
      guard: heldGuard("cfn-stop", "prod", "billing-api"),
    };
    const v2 = substituteStage(JSON.stringify(billingApi({ topic: false, version: "v2" })), "prod");
    const stopped = (reason: TStopReason) => {
      const c = new AbortController();
      c.abort(reason);
      return c.signal;
    };
    const lines: string[] = [];
    await expect(
      cloudformationDriver.deploy(
        { ...input, template: v2, artifact: "x", parameters: {} },
        { log: (l) => lines.push(l), signal: stopped({ kind: "cancel" }) },
      ),
    ).rejects.toThrow(new StepStopped({ kind: "cancel" }, "Canceled: nothing was changed; stack billing-api-prod is as it was."));
    expect(lines).toEqual(["\u001b[33mCanceled: nothing was changed; stack billing-api-prod is as it was.\u001b[0m"]);
    await expect(
      cloudformationDriver.remove(input, { log: () => {}, signal: stopped({ kind: "timeout", limit: "60 min" }) }),
    ).rejects.toThrow("Timed out after 60 min: nothing was changed; stack billing-api-prod is as it was.");
    expect([await stackStatus("billing-api-prod"), await template()]).toEqual(["CREATE_COMPLETE", v1]);

    // canceled while its first event is logged: the update had already completed, and the step says so
    const late = new AbortController();
    const log = (line: string) => late.abort({ kind: "cancel" } satisfies TStopReason) ?? lines.push(line);
    await expect(
      cloudformationDriver.deploy({ ...input, template: v2, artifact: "x", parameters: {} }, { log, signal: late.signal }),
    ).resolves.toEqual({ changed: true, adopted: false });
    expect([late.signal.aborted, await stackStatus("billing-api-prod"), await template()]).toEqual([true, "UPDATE_COMPLETE", v2]);
  });

  it("a producer step refused by the endpoint fails its build; the dependent step is skipped", async () => {
    const stage = await cfnStage("cfn-fail");
    const first = await deployAndWait("cfn-fail", "prod", [
      { name: "billing-api", template: billingApi({ topic: false }) },
      { name: "notify-job", dependsOn: ["billing-api"], template: notifyJob({ imports: false }) },
    ]);
    const done = await deployAndWait("cfn-fail", "prod", [
      { name: "billing-api", template: billingApi({ topic: false, version: "v3", importMissing: true }) },
      { name: "notify-job", dependsOn: ["billing-api"], template: notifyJob({ imports: false, version: "v3" }) },
    ]);
    expect(done.status).toBe("failed");
    const step = Object.fromEntries(done.steps.map((s) => [s.service, s]));
    expect([step["billing-api"]!.status, step["billing-api"]!.error]).toEqual(["failed", "No export named ExtPricingTable-prod found."]);
    expect([step["notify-job"]!.status, step["notify-job"]!.error]).toEqual(["skipped", "Skipped: billing-api did not succeed."]);
    expect(await logText(done.id)).toContain("ValidationError: No export named ExtPricingTable-prod found.");
    expect(await liveOf(stage.id)).toEqual(first.release);
  });

  it("a stack outside the app importing the export blocks the rollback: the plan names it, rollback and deploy answer 409", async () => {
    await seedCfnScenario("cfn-foreign");
    await cfn.send(
      new CreateStackCommand({
        StackName: "reporting-prod",
        TemplateBody: JSON.stringify(notifyJob({ imports: true }))
          .replaceAll("${stage}", "prod")
          .replace("/notify-job/", "/reporting/"),
      }),
    );
    const plan = await rollbackPlan({ app: await appRef("cfn-foreign"), stage: "prod", number: 1 });
    expect(plan.blocking).toEqual([{ exportName: EXPORT, service: "billing-api", importers: ["reporting-prod"] }]);
    const builds = await db.build.count();
    const refused = rollback({ app: await appRef("cfn-foreign"), stage: "prod", number: 1, actor: TEST_ACTOR });
    await expect(refused).rejects.toMatchObject({ code: "conflict", status: 409, details: { blocking: plan.blocking } });
    await expect(refused).rejects.toThrow(/export ExtNotePurchasedTopicArn-prod of billing-api is imported by reporting-prod/);
    const dropping = deploy({
      app: await appRef("cfn-foreign"),
      stage: "prod",
      input: ZDeployBody.parse({
        commit: commit("drop the topic"),
        services: [
          { name: "billing-api", template: billingApi({ topic: false }) },
          { name: "notify-job", template: notifyJob({ imports: false }) },
        ],
      }),
      actor: TEST_ACTOR,
    });
    await expect(dropping).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("reporting-prod") });
    expect(await db.build.count()).toBe(builds);
    // once the foreign stack lets go, the rollback runs
    await cfn.send(new DeleteStackCommand({ StackName: "reporting-prod" }));
    expect((await rollbackPlan({ app: await appRef("cfn-foreign"), stage: "prod", number: 1 })).blocking).toEqual([]);
  });

  it("a service added by the faulty build is deleted, consumer first, and gone from the account", async () => {
    const stage = await cfnStage("cfn-added");
    const first = await deployAndWait("cfn-added", "prod", [{ name: "billing-api", template: billingApi({ topic: false }) }]);
    await deployAndWait("cfn-added", "prod", [
      { name: "billing-api", template: billingApi({ topic: true }) },
      { name: "notify-job", template: notifyJob({ imports: true }) },
    ]);
    const plan = await rollbackPlan({ app: await appRef("cfn-added"), stage: "prod", number: 1 });
    expect(plan.steps.map((s) => [s.service, s.action])).toEqual([
      ["notify-job", "remove"],
      ["billing-api", "update"],
    ]);
    const { build } = await rollback({ app: await appRef("cfn-added"), stage: "prod", number: 1, actor: TEST_ACTOR });
    const done = await waitForBuild("cfn-added", "prod", build.number);
    const log = await logText(done.id);
    expect(done.status, log).toBe("success");
    expect(runOrder(done.steps)).toEqual(["notify-job", "billing-api"]);
    expect(log).toMatch(/notify-job: \S*\S+ DELETE_COMPLETE AWS::CloudFormation::Stack notify-job-prod/);
    expect(await stackStatus("notify-job-prod")).toBeNull();
    expect(await exportNames()).not.toContain(EXPORT);
    expect(await liveOf(stage.id)).toEqual(first.release);
    const lines: string[] = [];
    const guard = heldGuard("cfn-added", "prod", "notify-job");
    await cloudformationDriver.remove(
      { stage: driverStage(stage.id), service: "notify-job", stackName: "notify-job-prod", guard },
      ctx(lines),
    );
    expect(lines).toEqual(["Stack notify-job-prod does not exist: nothing to delete."]);
  });

  it("refresh records stacks changed, deleted or created behind Sprout's back", async () => {
    const stage = await cfnStage("cfn-refresh");
    const first = await deployAndWait("cfn-refresh", "prod", [
      { name: "billing-api", template: billingApi({ topic: false }) },
      { name: "notify-job", dependsOn: ["billing-api"], template: notifyJob({ imports: false }) },
    ]);
    expect((await refreshStage({ app: await appRef("cfn-refresh"), stage: "prod", actor: TEST_ACTOR })).drift).toEqual([]);

    const edited = JSON.stringify(billingApi({ topic: false, version: "hand-edited" })).replaceAll("${stage}", "prod");
    await cfn.send(new UpdateStackCommand({ StackName: "billing-api-prod", TemplateBody: edited }));
    await cfn.send(new DeleteStackCommand({ StackName: "notify-job-prod" }));
    const { drift, refreshedAt } = await refreshStage({ app: await appRef("cfn-refresh"), stage: "prod", actor: TEST_ACTOR });
    expect(drift.map((d) => [d.service, d.kind])).toEqual([
      ["billing-api", "changed"],
      ["notify-job", "missing"],
    ]);
    expect(Date.parse(refreshedAt)).not.toBeNaN();
    const live = await db.liveState.findMany({ where: { stageId: stage.id }, include: { artifact: true } });
    expect(live.map((l) => l.service)).toEqual(["billing-api"]);
    expect(live[0]!.artifactDigest).not.toBe((first.release as Record<string, string>)["billing-api"]);
    expect([live[0]!.artifact.template, live[0]!.artifact.service]).toEqual([edited, "billing-api"]);
    expect((await refreshStage({ app: await appRef("cfn-refresh"), stage: "prod", actor: TEST_ACTOR })).drift).toEqual([]);

    // a stack of one of the app's services that Sprout has no live state for
    await cfn.send(
      new CreateStackCommand({
        StackName: "notify-job-prod",
        TemplateBody: JSON.stringify(notifyJob({ imports: false, version: "manual" })).replaceAll("${stage}", "prod"),
      }),
    );
    expect(
      (await refreshStage({ app: await appRef("cfn-refresh"), stage: "prod", actor: TEST_ACTOR })).drift.map((d) => [d.service, d.kind]),
    ).toEqual([["notify-job", "untracked"]]);
    const notify = await db.liveState.findUniqueOrThrow({
      where: { stageId_service: { stageId: stage.id, service: "notify-job" } },
      include: { artifact: true },
    });
    expect(notify.artifact.template).toContain('"manual"');

    // the planner now works from what is deployed: redeploying #1 updates both stacks back
    const redone = await deployAndWait("cfn-refresh", "prod", [
      { name: "billing-api", template: billingApi({ topic: false }) },
      { name: "notify-job", dependsOn: ["billing-api"], template: notifyJob({ imports: false }) },
    ]);
    expect(redone.steps.map((s) => [s.service, s.action, s.status])).toEqual([
      ["billing-api", "update", "success"],
      ["notify-job", "update", "success"],
    ]);
  });
});
