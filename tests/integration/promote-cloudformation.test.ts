// Promote into a cloudformation stage (moto in strict mode): the plan asks CloudFormation with a
// change set per existing stack and deletes it after (ListChangeSets is empty); the promote runs.
// A promoted artifact's {{secret:NAME}} parameters take the target stage's variables, not the source's.
import {
  type CloudFormationClient,
  DescribeStacksCommand,
  ListChangeSetsCommand,
  ListExportsCommand,
  UpdateStackCommand,
} from "@aws-sdk/client-cloudformation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { promote, promotePlan } from "@/lib/server/operations/promote";
import { updateStage } from "@/lib/server/operations/stages";
import { setVariable } from "@/lib/server/operations/stage-variables";
import { setStageParameters } from "@/lib/server/operations/stage-parameters";
import { ZPromoteBody, ZStagePatch } from "@/lib/core/validation";
import { createPipeline, deployAndWait, logText, waitForBuild, withWorker } from "../support/engine";
import { cfnClient, startMoto, useTestCredentials, type TMoto } from "../support/moto";
import { appRef, TEST_ACTOR } from "../support/context";

let moto: TMoto;
let cfn: CloudFormationClient;
beforeAll(async () => {
  useTestCredentials();
  moto = await startMoto();
  cfn = cfnClient(moto);
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
    await createPipeline(APP);
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

  it("a promote resolves {{secret:NAME}} with the target stage's variables, plain and secret, not the source's", async () => {
    const app = "cfn-promo-vars";
    await db.app.create({
      data: {
        name: app,
        stages: {
          create: [
            { name: "dev", position: 0 },
            { name: "prod", position: 1 },
          ],
        },
      },
    });
    const ref = await appRef(app);
    await updateStage({
      app: ref,
      stage: "prod",
      input: ZStagePatch.parse({ driver: "cloudformation", endpoint: moto.endpoint }),
      actor: TEST_ACTOR,
    });
    const values = { dev: ["https://dev.example.com", "dev-Password-1111"], prod: ["https://prod.example.com", "prod-Password-2222"] };
    for (const [stage, [url, password]] of Object.entries(values)) {
      await setVariable({ app: ref, stage, name: "API_URL", input: { value: url! }, actor: TEST_ACTOR });
      await setVariable({ app: ref, stage, name: "DB_PASSWORD", input: { value: password!, secret: true }, actor: TEST_ACTOR });
    }
    // the same references on both stages: each resolves them with its own variables
    for (const stage of ["dev", "prod"])
      await setStageParameters({
        app: ref,
        stage,
        service: "vars-api",
        values: { Url: "{{secret:API_URL}}/v1", Password: "{{secret:DB_PASSWORD}}" },
        actor: TEST_ACTOR,
      });
    const template = {
      Parameters: { Url: { Type: "String" }, Password: { Type: "String" } },
      Resources: {
        Endpoint: { Type: "AWS::SSM::Parameter", Properties: { Name: "/vars/${stage}/url", Type: "String", Value: { Ref: "Url" } } },
      },
    };
    const dev = await deployAndWait(app, "dev", [{ name: "vars-api", template }], "vars");
    expect(dev.status, await logText(dev.id)).toBe("success");
    const sandbox = await db.sandboxStack.findFirstOrThrow({ where: { name: "vars-api-dev", stage: { app: { name: app } } } });
    expect(sandbox.parameters).toEqual({ Url: "https://dev.example.com/v1", Password: "{{secret:DB_PASSWORD}}" });

    const queued = await promote({
      app: ref,
      stage: "dev",
      number: dev.number,
      input: ZPromoteBody.parse({ to: "prod" }),
      actor: TEST_ACTOR,
    });
    const done = await waitForBuild(app, "prod", queued.number);
    expect(done.status, await logText(done.id)).toBe("success");
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: "vars-api-prod" }))).Stacks![0]!;
    expect(Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]))).toEqual({
      Url: "https://prod.example.com/v1",
      Password: "prod-Password-2222",
    });
    const log = await logText(done.id);
    for (const v of [...values.dev, values.prod[1]!]) expect(log).not.toContain(v);
  });
});
