// The app's services graph reads each service as CloudFormation reads it in the stage where it is
// live (its region and account), and says so when a stage's account cannot be learned instead of
// reading it as a made-up account.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { getApp } from "@/lib/server/data/get-app";
import { deployAndWait, withWorker } from "../support/engine";
import { appRef } from "../support/context";
import { useTestCredentials } from "../support/moto";

withWorker();

const NAME = { "Fn::Sub": "${AWS::Region}-${AWS::AccountId}-topic-${stage}" };
const producer = {
  Metadata: { Sprout: { deploySeconds: 0.05 } },
  Resources: { Topic: { Type: "AWS::SNS::Topic" } },
  Outputs: { Arn: { Value: { Ref: "Topic" }, Export: { Name: NAME } } },
};
const consumer = {
  Metadata: { Sprout: { deploySeconds: 0.05 } },
  Resources: { Queue: { Type: "AWS::SQS::Queue", Properties: { QueueName: { "Fn::ImportValue": NAME } } } },
};

/** A loopback port that nothing listens on: STS there is refused at once. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("the services graph", () => {
  beforeAll(async () => {
    useTestCredentials();
    await db.app.create({
      data: {
        name: "graph",
        stages: {
          create: [
            { name: "dev", position: 0, region: "us-east-1", accountId: "111111111111" },
            { name: "prod", position: 1, region: "eu-west-1", accountId: "222222222222" },
          ],
        },
      },
    });
    const both = await deployAndWait("graph", "dev", [
      { name: "producer", template: producer },
      { name: "consumer", template: consumer },
    ]);
    const prod = await deployAndWait("graph", "prod", [{ name: "producer", template: producer }]);
    expect([both.status, prod.status]).toEqual(["success", "success"]);
  });

  it("reads each service in its own stage's region and account, and joins a producer to a consumer live in another stage", async () => {
    const { app } = await getApp({ app: await appRef("graph") });
    expect(app.services.map((s) => [s.name, s.liveIn, s.exports, s.imports, s.error])).toEqual([
      ["consumer", "dev", [], ["us-east-1-111111111111-topic-dev"], null],
      ["producer", "prod", ["eu-west-1-222222222222-topic-prod"], [], null],
    ]);
    expect(app.edges).toEqual([{ from: "producer", to: "consumer", exports: ["us-east-1-111111111111-topic-dev"], dependsOn: false }]);
    expect(app.graphWarnings).toEqual([]);
  });

  it("says that a stage's account could not be learned, instead of reading it as account 000000000000", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    await db.stage.updateMany({ where: { name: "prod", app: { name: "graph" } }, data: { driver: "cloudformation", endpoint } });
    const { app } = await getApp({ app: await appRef("graph") });
    expect(app.graphWarnings).toEqual([
      expect.stringMatching(
        /^Could not learn the AWS account of stage prod \(STS GetCallerIdentity\): .+ Export and import names built from AWS::AccountId in stage prod are not shown\.$/,
      ),
    ]);
    const byName = Object.fromEntries(app.services.map((s) => [s.name, s]));
    expect(byName.producer).toMatchObject({ liveIn: "prod", exports: [] });
    expect(byName.producer!.error).toMatch(/Outputs\.Arn\.Export\.Name: uses AWS::AccountId, which Sprout could not learn for stage prod/);
    // the stage whose account is known reads on
    expect(byName.consumer).toMatchObject({ imports: ["us-east-1-111111111111-topic-dev"], error: null });
  });
});
