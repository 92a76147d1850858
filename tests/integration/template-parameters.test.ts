// Templates read as CloudFormation reads them, end to end: parameters from the stage and the
// manifest, the stage's own region and account in export names, values kept with the build (a
// rollback restores them), and a template over 51,200 bytes deployed through S3 on the local
// CloudFormation endpoint.
import { type CloudFormationClient, DescribeStacksCommand, ListExportsCommand } from "@aws-sdk/client-cloudformation";
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { deploy } from "@/lib/server/operations/deploy";
import { rollback } from "@/lib/server/operations/rollback";
import { updateStage } from "@/lib/server/operations/stages";
import { setStageParameters } from "@/lib/server/operations/stage-parameters";
import { getBuild } from "@/lib/server/data/get-build";
import { ZDeployBody, ZStagePatch } from "@/lib/core/validation";
import { templateText } from "@/lib/core/artifacts";
import { commit } from "../support/fixtures";
import { createStage, waitForBuild, withWorker } from "../support/engine";
import { appRef, TEST_ACTOR } from "../support/context";
import { cfnClient, startMoto, useTestCredentials, type TMoto } from "../support/moto";

const EXPORT_NAME = { "Fn::Sub": "${ProjectName}-${AWS::Region}-${AWS::AccountId}-Topic" };

/** Exports its topic under a name built from a required Parameter and the stage's region and account. */
function producer(opts: { pad?: number } = {}) {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "x".repeat(opts.pad ?? 0),
    Metadata: { Sprout: { deploySeconds: 0.1 } },
    Parameters: { ProjectName: { Type: "String", AllowedPattern: "^[a-z]+$" } },
    Resources: { Topic: { Type: "AWS::SNS::Topic", Properties: { TopicName: { "Fn::Sub": "${ProjectName}-${stage}" } } } },
    Outputs: { TopicArn: { Value: { Ref: "Topic" }, Export: { Name: EXPORT_NAME } } },
  };
}

/** Imports it through the same name, its ProjectName defaulting to "notes". */
function consumer(opts: { retention?: string } = {}) {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Metadata: { Sprout: { deploySeconds: 0.1 } },
    Parameters: {
      ProjectName: { Type: "String", Default: "notes" },
      Retention: { Type: "Number", Default: opts.retention ?? "7", AllowedValues: ["7", "30"] },
    },
    Resources: {
      Subscription: {
        Type: "AWS::SSM::Parameter",
        Properties: { Name: "/consumer/${stage}/topic", Type: "String", Value: { "Fn::ImportValue": EXPORT_NAME } },
      },
    },
  };
}

const services = (producerTemplate = producer(), extra: object = {}) => [
  { name: "producer", template: producerTemplate },
  { name: "consumer", template: consumer(), ...extra },
];

async function queue(app: string, list: unknown[], message = "deploy") {
  return deploy({
    app: await appRef(app),
    stage: "prod",
    input: ZDeployBody.parse({ commit: commit(message), services: list }),
    actor: TEST_ACTOR,
  });
}

async function configure(app: string, input: object) {
  await updateStage({ app: await appRef(app), stage: "prod", input: ZStagePatch.parse(input), actor: TEST_ACTOR });
}

async function stepParameters(app: string, number: number) {
  const { build } = await getBuild({ app: await appRef(app), stage: "prod", number });
  return Object.fromEntries(build.steps.map((s) => [s.service, s.parameters]));
}

withWorker();

describe("parameters and pseudo parameters on a sandbox stage in eu-west-1", () => {
  it("a required Parameter with no value is refused, naming the service, the parameter and where to give it", async () => {
    await createStage("params-missing");
    const refused = queue("params-missing", services());
    await expect(refused).rejects.toMatchObject({ code: "bad_request" });
    await expect(refused).rejects.toThrow(/producer/);
    await expect(refused).rejects.toThrow(/ProjectName/);
    await expect(refused).rejects.toThrow(/stage|manifest|Default/);
    expect(await db.build.count({ where: { stage: { app: { name: "params-missing" } } } })).toBe(0);
  });

  it("resolves export names with the stage's region, account and parameters; the stage's values win over the manifest's", async () => {
    const stage = await createStage("params-eu");
    await configure("params-eu", { region: "eu-west-1", accountId: "111122223333" });
    await setStageParameters({
      app: await appRef("params-eu"),
      stage: "prod",
      service: "producer",
      values: { ProjectName: "notes" },
      actor: TEST_ACTOR,
    });
    await setStageParameters({
      app: await appRef("params-eu"),
      stage: "prod",
      service: "consumer",
      values: { Retention: "30" },
      actor: TEST_ACTOR,
    });
    // the manifest asks for Retention 7 and a ProjectName the consumer takes from it
    const queued = await queue("params-eu", services(producer(), { parameters: { Retention: 7, ProjectName: "notes" } }));
    const done = await waitForBuild("params-eu", "prod", queued.number);
    expect(done.status).toBe("success");
    const stacks = await db.sandboxStack.findMany({ where: { stageId: stage.id }, orderBy: { name: "asc" } });
    expect(stacks.map((s) => [s.name, Object.keys(s.exports as object), s.imports])).toEqual([
      ["consumer-prod", [], ["notes-eu-west-1-111122223333-Topic"]],
      ["producer-prod", ["notes-eu-west-1-111122223333-Topic"], []],
    ]);
    expect(await stepParameters("params-eu", queued.number)).toEqual({
      producer: { ProjectName: "notes" },
      consumer: { ProjectName: "notes", Retention: "30" },
    });
    // the audit names what changed, never the values
    const audit = await db.auditEvent.findMany({
      where: { action: "stage.parameters", app: { name: "params-eu" } },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.target, a.detail])).toEqual([
      ["prod producer", { changed: ["ProjectName"] }],
      ["prod consumer", { changed: ["Retention"] }],
    ]);
  });

  it("a rollback restores the parameter values its target deployed with", async () => {
    const stage = await createStage("params-rollback");
    const app = await appRef("params-rollback");
    await setStageParameters({ app, stage: "prod", service: "producer", values: { ProjectName: "notes" }, actor: TEST_ACTOR });
    const first = await waitForBuild("params-rollback", "prod", (await queue("params-rollback", services())).number);
    await setStageParameters({ app, stage: "prod", service: "consumer", values: { Retention: "30" }, actor: TEST_ACTOR });
    const second = await waitForBuild("params-rollback", "prod", (await queue("params-rollback", [services()[1]!])).number);
    expect([first.status, second.status]).toEqual(["success", "success"]);
    const consumerStack = () =>
      db.sandboxStack.findUniqueOrThrow({ where: { stageId_name: { stageId: stage.id, name: "consumer-prod" } } });
    expect((await consumerStack()).parameters).toEqual({ ProjectName: "notes", Retention: "30" });

    const { build } = await rollback({ app, stage: "prod", number: first.number, actor: TEST_ACTOR });
    expect((await waitForBuild("params-rollback", "prod", build.number)).status).toBe("success");
    expect((await consumerStack()).parameters).toEqual({ ProjectName: "notes", Retention: "7" });
    expect((await stepParameters("params-rollback", build.number)).consumer).toEqual({ ProjectName: "notes", Retention: "7" });
  });
});

describe("parameters and a large template on the local CloudFormation endpoint", () => {
  let moto: TMoto;
  let cfn: CloudFormationClient;
  let s3: S3Client;
  beforeAll(async () => {
    useTestCredentials();
    moto = await startMoto();
    cfn = cfnClient(moto, "eu-west-1");
    s3 = new S3Client({
      region: "eu-west-1",
      endpoint: moto.endpoint,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: "sprout-templates", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it("a template over 51,200 bytes is refused without a bucket, and goes through S3 with one; parameters reach CloudFormation", async () => {
    await createStage("params-cfn");
    await configure("params-cfn", { driver: "cloudformation", endpoint: moto.endpoint, region: "eu-west-1" });
    await setStageParameters({
      app: await appRef("params-cfn"),
      stage: "prod",
      service: "producer",
      values: { ProjectName: "notes" },
      actor: TEST_ACTOR,
    });
    const large = producer({ pad: 60_000 });
    await expect(queue("params-cfn", services(large))).rejects.toThrow(
      /services\[0\]\.template \(producer\) is [\d,]+ bytes; CloudFormation takes at most 51,200 bytes inline\. Name an S3 bucket in stage prod's settings \(templateBucket\)/,
    );

    await configure("params-cfn", { templateBucket: "sprout-templates" });
    const queued = await queue("params-cfn", services(large));
    const done = await waitForBuild("params-cfn", "prod", queued.number);
    expect(done.status, done.error ?? "").toBe("success");
    // moto's STS answers account 123456789012: the export name is the stage's own
    const exports = await cfn.send(new ListExportsCommand({}));
    expect(exports.Exports?.map((e) => e.Name)).toEqual(["notes-eu-west-1-123456789012-Topic"]);
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: "producer-prod" }))).Stacks![0]!;
    expect(stack.Parameters).toEqual([{ ParameterKey: "ProjectName", ParameterValue: "notes" }]);
    const objects = await s3.send(new ListObjectsV2Command({ Bucket: "sprout-templates" }));
    expect(objects.Contents?.map((o) => o.Key)).toEqual([expect.stringMatching(/^sprout\/templates\/[0-9a-f]{64}\.template$/)]);
  });

  it("a rollback to a template over 51,200 bytes is refused (400) once the bucket is gone; the size is measured after ${stage}", async () => {
    await createStage("params-cfn-rollback");
    const app = await appRef("params-cfn-rollback");
    await configure("params-cfn-rollback", {
      driver: "cloudformation",
      endpoint: moto.endpoint,
      region: "eu-west-1",
      templateBucket: "sprout-templates",
    });
    await setStageParameters({ app, stage: "prod", service: "big", values: { ProjectName: "rollback" }, actor: TEST_ACTOR });
    const large = await waitForBuild(
      "params-cfn-rollback",
      "prod",
      (await queue("params-cfn-rollback", [{ name: "big", template: producer({ pad: 60_000 }) }])).number,
    );
    const small = await waitForBuild(
      "params-cfn-rollback",
      "prod",
      (await queue("params-cfn-rollback", [{ name: "big", template: producer() }])).number,
    );
    expect([large.status, small.status]).toEqual(["success", "success"]);

    await configure("params-cfn-rollback", { templateBucket: null });
    const refused = rollback({ app, stage: "prod", number: large.number, actor: TEST_ACTOR });
    await expect(refused).rejects.toMatchObject({ code: "bad_request" });
    await expect(refused).rejects.toThrow(
      /^big's template is [\d,]+ bytes; CloudFormation takes at most 51,200 bytes inline\. Name an S3 bucket in stage prod's settings \(templateBucket\) for Sprout to upload it to\.$/,
    );
    expect(await db.build.count({ where: { stage: { app: { name: "params-cfn-rollback" } } } })).toBe(2);

    // 51,201 bytes as written, under the limit once ${stage} becomes "prod": passed inline
    const template = producer();
    const written = () => Buffer.byteLength(templateText(template)); // the text Sprout stores and sends
    template.Description = `\${stage}${"x".repeat(51_201 - written() - "${stage}".length)}`;
    expect(written()).toBe(51_201);
    const inline = await queue("params-cfn-rollback", [{ name: "big", template }]);
    expect((await waitForBuild("params-cfn-rollback", "prod", inline.number)).status).toBe("success");
  });
});
