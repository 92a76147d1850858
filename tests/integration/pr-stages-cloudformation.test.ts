// A pull request's stage on the local CloudFormation endpoint (moto in strict mode, which refuses to
// delete an export still imported, as AWS does): opened, its stacks are created from the template
// stage's settings, a {{secret:NAME}} parameter resolved by the worker; closed, they are deleted
// consumers first and the stage is archived.
import { type CloudFormationClient, DescribeStacksCommand, ListExportsCommand } from "@aws-sdk/client-cloudformation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { updateStage } from "@/lib/server/operations/stages";
import { setVariable } from "@/lib/server/operations/stage-variables";
import { setStageParameters } from "@/lib/server/operations/stage-parameters";
import { updateAppSettings } from "@/lib/server/operations/app-settings";
import { refreshStage } from "@/lib/server/operations/refresh-stage";
import { ZAppPatch, ZStagePatch } from "@/lib/core/validation";
import { appRef, TEST_ACTOR } from "../support/context";
import { logText, runOrder, waitForBuild, withWorker } from "../support/engine";
import { cfnClient, startMoto, useTestCredentials, type TMoto } from "../support/moto";
import { postGithub, sourceApp, type TSourceApp } from "../support/source";
import { githubPullRequest, pushPullRequest } from "../support/pull-requests";

const SECRET = "tok-3f9c-Very-Secret";
let moto: TMoto;
let cfn: CloudFormationClient;
let app: TSourceApp;

const producer = (version: string) =>
  JSON.stringify({
    Parameters: { ApiToken: { Type: "String", MinLength: 12 } },
    Resources: {
      Version: { Type: "AWS::SSM::Parameter", Properties: { Name: "/producer/${stage}/version", Type: "String", Value: version } },
      Topic: { Type: "AWS::SNS::Topic", Properties: { TopicName: "topic-${stage}" } },
    },
    Outputs: { TopicArn: { Value: { Ref: "Topic" }, Export: { Name: "Topic-${stage}" } } },
  });
const consumer = JSON.stringify({
  Resources: {
    Topic: {
      Type: "AWS::SSM::Parameter",
      Properties: { Name: "/consumer/${stage}/topic", Type: "String", Value: { "Fn::ImportValue": "Topic-${stage}" } },
    },
  },
});
const FILES = {
  "sprout.yml": `services:
  producer:
    path: services/producer
    template: template.json
  consumer:
    path: services/consumer
    template: template.json
`,
  "services/producer/template.json": producer("v1"),
  "services/consumer/template.json": consumer,
};

beforeAll(async () => {
  useTestCredentials();
  moto = await startMoto();
  await moto.reset();
  cfn = cfnClient(moto);
  app = await sourceApp("prs-cfn", FILES);
  const ref = await appRef("prs-cfn");
  await updateStage({
    app: ref,
    stage: "dev",
    input: ZStagePatch.parse({ driver: "cloudformation", endpoint: moto.endpoint }),
    actor: TEST_ACTOR,
  });
  await setVariable({ app: ref, stage: "dev", name: "API_TOKEN", input: { value: SECRET, secret: true }, actor: TEST_ACTOR });
  await setStageParameters({
    app: ref,
    stage: "dev",
    service: "producer",
    values: { ApiToken: "{{secret:API_TOKEN}}" },
    actor: TEST_ACTOR,
  });
  await updateAppSettings({ app: ref, input: ZAppPatch.parse({ prStages: { enabled: true } }), actor: TEST_ACTOR });
});
afterAll(async () => {
  await moto?.stop();
});
withWorker(); // after moto's hooks: starts once moto is up, stops before it

async function describeStack(name: string) {
  try {
    return (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0] ?? null;
  } catch (e) {
    if (/does not exist/.test((e as Error).message)) return null;
    throw e;
  }
}
const exportNames = async () => ((await cfn.send(new ListExportsCommand({}))).Exports ?? []).map((e) => e.Name);

describe("a PR stage on CloudFormation", () => {
  it("is created and built from dev's settings, then removed consumers first (moto refuses the other order) and archived", async () => {
    const sha = await pushPullRequest(app, 5, "feature", { "services/producer/template.json": producer("pr") }, "Producer for the PR");
    const opened = await postGithub(app, githubPullRequest("opened", 5, { ref: "feature", sha }, { title: "New producer" }), {
      event: "pull_request",
    });
    expect(opened.status).toBe(202);
    const built = await waitForBuild("prs-cfn", "pr-5", 1);
    expect(built.status, `${built.error}\n${await logText(built.id)}`).toBe("success");
    expect(runOrder(built.steps.filter((s) => ["create", "update"].includes(s.action)))).toEqual(["producer", "consumer"]);
    const stage = await db.stage.findFirstOrThrow({ where: { name: "pr-5", app: { name: "prs-cfn" } } });
    expect([stage.driver, stage.endpoint]).toEqual(["cloudformation", moto.endpoint]);

    // the secret reached CloudFormation; Sprout's records keep its reference only
    const stack = await describeStack("producer-pr-5");
    expect(stack?.StackStatus).toBe("CREATE_COMPLETE");
    expect(stack?.Parameters).toEqual([{ ParameterKey: "ApiToken", ParameterValue: SECRET }]);
    expect((await describeStack("consumer-pr-5"))?.StackStatus).toBe("CREATE_COMPLETE");
    expect(await exportNames()).toContain("Topic-pr-5");
    const digest = built.steps.find((s) => s.key === "producer")!.artifactDigest!;
    expect((await db.artifact.findUniqueOrThrow({ where: { digest } })).parameters).toEqual({ ApiToken: "{{secret:API_TOKEN}}" });
    // a refresh reads the secret back from the account and records the reference again: no drift
    const refreshed = await refreshStage({ app: await appRef("prs-cfn"), stage: "pr-5", actor: TEST_ACTOR });
    expect(refreshed.drift).toEqual([]);
    const [leaks] = await db.$queryRaw<{ n: bigint }[]>`
      SELECT (SELECT count(*) FROM artifacts WHERE parameters::text LIKE ${`%${SECRET}%`})
           + (SELECT count(*) FROM log_lines WHERE text LIKE ${`%${SECRET}%`}) AS n`;
    expect(leaks!.n).toBe(0n);

    const closed = await postGithub(app, githubPullRequest("closed", 5, { ref: "feature", sha }), { event: "pull_request" });
    expect(closed.body).toEqual({ builds: [{ stage: "pr-5", number: 2, status: "queued" }] });
    const removed = await waitForBuild("prs-cfn", "pr-5", 2);
    expect(removed.status, `${removed.error}\n${await logText(removed.id)}`).toBe("success");
    expect(removed.steps.map((s) => [s.key, s.action, s.status])).toEqual([
      ["consumer", "remove", "success"],
      ["producer", "remove", "success"],
    ]);
    expect(runOrder(removed.steps)).toEqual(["consumer", "producer"]);
    for (const name of ["consumer-pr-5", "producer-pr-5"])
      expect([null, "DELETE_COMPLETE"]).toContain((await describeStack(name))?.StackStatus ?? null);
    expect(await exportNames()).not.toContain("Topic-pr-5");
    expect((await db.stage.findUniqueOrThrow({ where: { id: stage.id } })).archived).toBe(true);
    // dev's own stacks were never touched
    expect(await describeStack("producer-dev")).toBeNull();
  });
});
