// Promote into a cloudformation stage (moto in strict mode): the plan asks CloudFormation with a
// change set per existing stack and deletes it after (ListChangeSets is empty); the promote runs.
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListChangeSetsCommand,
  ListExportsCommand,
  UpdateStackCommand,
} from "@aws-sdk/client-cloudformation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { promote, promotePlan } from "@/lib/server/operations/promote";
import { updateStage } from "@/lib/server/operations/stages";
import { ZPromoteBody, ZStagePatch } from "@/lib/core/validation";
import { deployAndWait, logText, waitForBuild, withWorker } from "../support/engine";
import { startMoto, type TMoto } from "../support/moto";
import { appRef, TEST_ACTOR } from "../support/context";

let moto: TMoto;
let cfn: CloudFormationClient;
beforeAll(async () => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
  delete process.env.AWS_PROFILE;
  delete process.env.SPROUT_AWS_PROFILE;
  moto = await startMoto();
  cfn = new CloudFormationClient({
    region: "us-east-1",
    endpoint: moto.endpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
});
afterAll(async () => {
  await moto?.stop();
});
withWorker();

const APP = "cfn-promo";
// resources stay across versions (moto mishandles a resource removed then added back)
const billing = (topic: boolean) => ({
  Resources: {
    Version: { Type: "AWS::SSM::Parameter", Properties: { Name: "/billing/${stage}/version", Type: "String", Value: topic ? "v2" : "v1" } },
    ...(topic ? { NotePurchasedTopic: { Type: "AWS::SNS::Topic", Properties: { TopicName: "note-purchased-${stage}" } } } : {}),
  },
  Outputs: {
    ...(topic ? { TopicArn: { Value: { Ref: "NotePurchasedTopic" }, Export: { Name: "ExtNotePurchasedTopicArn-${stage}" } } } : {}),
    VersionName: { Value: { Ref: "Version" } },
  },
});
const notes = (v: string) => ({
  Resources: { Page: { Type: "AWS::SSM::Parameter", Properties: { Name: "/notes/${stage}/page", Type: "String", Value: v } } },
});

async function changeSets(stack: string) {
  return (await cfn.send(new ListChangeSetsCommand({ StackName: stack }))).Summaries ?? [];
}

describe("promote on cloudformation", () => {
  it("shows CloudFormation's changes from a change set, deletes it, then promotes", async () => {
    await db.app.create({
      data: {
        name: APP,
        stages: {
          create: [
            { name: "dev", position: 0 },
            { name: "prod", position: 1 },
          ],
        },
      },
    });
    await updateStage({
      app: await appRef(APP),
      stage: "prod",
      input: ZStagePatch.parse({ driver: "cloudformation", endpoint: moto.endpoint }),
      actor: TEST_ACTOR,
    });
    const v1 = await deployAndWait(APP, "prod", [{ name: "billing-api", template: billing(false) }], "v1");
    expect(v1.status, await logText(v1.id)).toBe("success");
    // someone adds a resource to prod's stack by hand: Sprout's records do not know it, CloudFormation does
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: "billing-api-prod" }))).Stacks![0]!;
    const drifted = billing(false);
    const manual = { Type: "AWS::SSM::Parameter", Properties: { Name: "/billing/prod/manual", Type: "String", Value: "x" } };
    const resources = { ...drifted.Resources, Manual: manual };
    const template = JSON.stringify({ ...drifted, Resources: resources }).replaceAll("${stage}", "prod");
    await cfn.send(new UpdateStackCommand({ StackName: "billing-api-prod", TemplateBody: template, Tags: stack.Tags }));
    await deployAndWait(
      APP,
      "dev",
      [
        { name: "billing-api", template: billing(true) },
        { name: "notes-api", template: notes("50") },
      ],
      "topic and notes",
    );

    const plan = await promotePlan({ app: await appRef(APP), stage: "dev", number: 1 });
    expect(plan.resourcesFrom).toBe("change-set");
    expect(plan.steps.map((s) => [s.service, s.action, s.resourcesFrom, s.resources])).toEqual([
      [
        "billing-api",
        "update",
        "change-set",
        [
          // only the stack itself knows Manual: the templates Sprout deployed never had it
          { logicalId: "Manual", type: "AWS::SSM::Parameter", change: "removed" },
          { logicalId: "Version", type: "AWS::SSM::Parameter", change: "modified" },
          { logicalId: "NotePurchasedTopic", type: "AWS::SNS::Topic", change: "added" },
        ],
      ],
      // no stack yet: nothing to ask, every resource of the template is added
      ["notes-api", "create", "templates", [{ logicalId: "Page", type: "AWS::SSM::Parameter", change: "added" }]],
    ]);
    // the change set was deleted; the stack is as it was
    expect(await changeSets("billing-api-prod")).toEqual([]);
    expect(((await cfn.send(new ListExportsCommand({}))).Exports ?? []).map((e) => e.Name)).not.toContain("ExtNotePurchasedTopicArn-prod");

    const queued = await promote({
      app: await appRef(APP),
      stage: "dev",
      number: 1,
      input: ZPromoteBody.parse({ to: "prod" }),
      actor: TEST_ACTOR,
    });
    const done = await waitForBuild(APP, "prod", queued.number);
    expect(done.status, await logText(done.id)).toBe("success");
    expect(done.kind).toBe("promote");
    expect(((await cfn.send(new ListExportsCommand({}))).Exports ?? []).map((e) => e.Name)).toContain("ExtNotePurchasedTopicArn-prod");
    expect(await changeSets("billing-api-prod")).toEqual([]);
    // promoted again: nothing changes, and CloudFormation says so
    const again = await promotePlan({ app: await appRef(APP), stage: "dev", number: 1 });
    expect(again.steps.map((s) => [s.service, s.action, s.resources])).toEqual([
      ["billing-api", "unchanged", []],
      ["notes-api", "unchanged", []],
    ]);
  });
});
