// Stacks belong to one app, on a real CloudFormation API (moto in strict mode): two apps of one
// Sprout point their `dev` stages at the same endpoint and region, where both have a `payments`
// service. Each refusal is asserted together with the stack it protects being left as it was.
import {
  type CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  type Tag,
} from "@aws-sdk/client-cloudformation";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { refreshStage } from "@/lib/server/operations/refresh-stage";
import { rollback } from "@/lib/server/operations/rollback";
import { updateStage } from "@/lib/server/operations/stages";
import { ZStagePatch } from "@/lib/core/validation";
import { deployAndWait, logText, waitForBuild, withWorker } from "../support/engine";
import { cfnClient, startMoto, useTestCredentials, type TMoto } from "../support/moto";
import { appRef, TEST_ACTOR } from "../support/context";

let moto: TMoto;
let cfn: CloudFormationClient;

beforeAll(async () => {
  useTestCredentials();
  delete process.env.AWS_ENDPOINT_URL;
  moto = await startMoto();
  cfn = cfnClient(moto);
});
afterAll(async () => {
  await moto?.stop();
});
withWorker();
beforeEach(async () => {
  await moto.reset();
  await db.app.deleteMany(); // every test starts from a Sprout with no apps (claims and names go with them)
});

/** `who` writes its own SSM parameter, so that two apps' stacks never share a resource. */
const payments = (who: string, version = 1) => ({
  AWSTemplateFormatVersion: "2010-09-09",
  Resources: {
    Owner: { Type: "AWS::SSM::Parameter", Properties: { Name: `/payments/${who}/\${stage}`, Type: "String", Value: `${who} v${version}` } },
  },
});
const ledger = (who: string) => ({
  AWSTemplateFormatVersion: "2010-09-09",
  Resources: { L: { Type: "AWS::SSM::Parameter", Properties: { Name: `/ledger/${who}/\${stage}`, Type: "String", Value: who } } },
});

/** An app whose stage `dev` deploys to the moto endpoint (set by an instance admin, as the API requires). */
async function cfnApp(name: string, settings: Record<string, unknown> = {}) {
  const app = await db.app.create({ data: { name, stages: { create: [{ name: "dev" }] } }, include: { stages: true } });
  await setStage(name, { driver: "cloudformation", endpoint: moto.endpoint, ...settings });
  return app.stages[0]!;
}
const setStage = async (app: string, patch: Record<string, unknown>) =>
  updateStage({ app: await appRef(app), stage: "dev", input: ZStagePatch.parse(patch), actor: TEST_ACTOR });

async function stack(name: string) {
  try {
    const s = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
    const body = (await cfn.send(new GetTemplateCommand({ StackName: name }))).TemplateBody;
    return { status: s.StackStatus, template: body, tags: Object.fromEntries((s.Tags ?? []).map((t: Tag) => [t.Key, t.Value])) };
  } catch (e) {
    if (/does not exist/.test((e as Error).message)) return null;
    throw e;
  }
}
const TAGS_OF = (app: string, service = "payments") => ({ "sprout:app": app, "sprout:stage": "dev", "sprout:service": service });
const liveServices = async (stageId: number) => (await db.liveState.findMany({ where: { stageId } })).map((l) => l.service).sort();

describe("stacks belong to one app", () => {
  it("tags what it creates; another app's deploy of a same-named service is refused and the stack is unchanged", async () => {
    await cfnApp("alpha");
    const a = await deployAndWait("alpha", "dev", [{ name: "payments", template: payments("alpha") }]);
    expect(a.status, await logText(a.id)).toBe("success");
    const before = await stack("payments-dev");
    expect(before?.tags).toEqual(TAGS_OF("alpha"));

    await cfnApp("beta");
    const builds = await db.build.count();
    const refused = deployAndWait("beta", "dev", [{ name: "payments", template: payments("beta") }]);
    await expect(refused).rejects.toMatchObject({ code: "conflict", status: 409 });
    await expect(refused).rejects.toThrow(
      /Stack payments-dev \(http:\/\/loopback:\d+, region us-east-1\) belongs to app "alpha" \(stage dev, service payments\).*app "beta".*stackNamePattern with \{app\}/,
    );
    expect(await db.build.count()).toBe(builds);
    expect(await stack("payments-dev")).toEqual(before);

    // the way out the refusal names: a pattern with {app} gives beta a stack of its own
    await setStage("beta", { stackNamePattern: "{app}-{service}-{stage}" });
    const b = await deployAndWait("beta", "dev", [{ name: "payments", template: payments("beta") }]);
    expect(b.status, await logText(b.id)).toBe("success");
    expect((await stack("beta-payments-dev"))?.tags).toEqual(TAGS_OF("beta"));
    expect(await stack("payments-dev")).toEqual(before);
    const names = await db.stageStack.findMany({ orderBy: { name: "asc" }, select: { service: true, name: true } });
    expect(names).toEqual([
      { service: "payments", name: "beta-payments-dev" },
      { service: "payments", name: "payments-dev" },
    ]);
    // the claim is the database's: a second app cannot hold the same stack name at the same target and region
    const claim = await db.stackClaim.findFirstOrThrow({ where: { name: "payments-dev" } });
    const betaStage = await db.stage.findFirstOrThrow({ where: { app: { name: "beta" } } });
    await expect(
      db.stackClaim.create({ data: { ...claim, appId: betaStage.appId, stageId: betaStage.id, createdAt: undefined } }),
    ).rejects.toMatchObject({ code: "P2002" });
  });

  it("a stack tagged for another app is refused by the step itself, even when this Sprout holds no claim on it", async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: "payments-dev",
        TemplateBody: JSON.stringify(payments("alpha")).replaceAll("${stage}", "dev"),
        Tags: Object.entries(TAGS_OF("alpha")).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    const before = await stack("payments-dev");
    await cfnApp("beta");
    const b = await deployAndWait("beta", "dev", [{ name: "payments", template: payments("beta") }]);
    expect(b.status).toBe("failed");
    expect(b.steps[0]!.error).toMatch(/^Stack payments-dev is tagged for app "alpha" \(stage dev, service payments\), not for app "beta"/);
    expect(await stack("payments-dev")).toEqual(before);
    // nothing of it is kept as beta's: a stackNamePattern can still name beta's stack apart
    expect(await db.stackClaim.count()).toBe(0);
    expect(await db.stageStack.count()).toBe(0);
  });

  it("a rollback cannot delete another app's stack: refused when queued, and by the stack's tags without a claim", async () => {
    await cfnApp("alpha");
    expect((await deployAndWait("alpha", "dev", [{ name: "payments", template: payments("alpha") }])).status).toBe("success");
    const before = await stack("payments-dev");

    // beta deployed payments on its sandbox, then was pointed at the shared endpoint
    const beta = (await db.app.create({ data: { name: "beta", stages: { create: [{ name: "dev" }] } }, include: { stages: true } }))
      .stages[0]!;
    const first = await deployAndWait("beta", "dev", [{ name: "ledger", template: ledger("beta") }]);
    await deployAndWait("beta", "dev", [
      { name: "ledger", template: ledger("beta") },
      { name: "payments", template: payments("beta") },
    ]);
    await setStage("beta", { driver: "cloudformation", endpoint: moto.endpoint });
    const refused = rollback({ app: await appRef("beta"), stage: "dev", number: first.number, actor: TEST_ACTOR });
    await expect(refused).rejects.toMatchObject({ code: "conflict" });
    await expect(refused).rejects.toThrow(/Stack payments-dev .* belongs to app "alpha"/);
    expect(await stack("payments-dev")).toEqual(before);

    // without the claim (alpha deployed from another Sprout) the remove step reads the tags and stops
    await db.stackClaim.deleteMany();
    const { build } = await rollback({ app: await appRef("beta"), stage: "dev", number: first.number, actor: TEST_ACTOR });
    const done = await waitForBuild("beta", "dev", build.number);
    expect(done.status).toBe("failed");
    expect(done.steps.find((s) => s.service === "payments")!.error).toMatch(/tagged for app "alpha"/);
    expect(await stack("payments-dev")).toEqual(before);
    expect(await liveServices(beta.id)).toEqual(["ledger", "payments"]);
  });

  it("refresh does not read another app's stack into history", async () => {
    await cfnApp("alpha");
    expect((await deployAndWait("alpha", "dev", [{ name: "payments", template: payments("alpha") }])).status).toBe("success");
    const beta = await cfnApp("beta");
    await db.service.create({ data: { appId: beta.appId, name: "payments" } });
    const artifacts = await db.artifact.count();

    const held = await refreshStage({ app: await appRef("beta"), stage: "dev", actor: TEST_ACTOR });
    expect(held.drift).toEqual([{ service: "payments", kind: "refused", detail: expect.stringMatching(/belongs to app "alpha"/) }]);
    await db.stackClaim.deleteMany();
    const tagged = await refreshStage({ app: await appRef("beta"), stage: "dev", actor: TEST_ACTOR });
    expect(tagged.drift).toEqual([{ service: "payments", kind: "refused", detail: expect.stringMatching(/tagged for app "alpha"/) }]);
    expect(await liveServices(beta.id)).toEqual([]);
    expect(await db.artifact.count()).toBe(artifacts);
  });

  it("an untagged stack that exists is refused until an app admin adopts it; the adoption is audited and used up", async () => {
    const untagged = JSON.stringify(payments("hand-made")).replaceAll("${stage}", "dev");
    await cfn.send(new CreateStackCommand({ StackName: "payments-dev", TemplateBody: untagged }));
    const before = await stack("payments-dev");
    const alpha = await cfnApp("alpha");

    const refused = await deployAndWait("alpha", "dev", [{ name: "payments", template: payments("alpha") }]);
    expect(refused.status).toBe("failed");
    expect(refused.steps[0]!.error).toMatch(/exists but Sprout did not create it .* adds "payments" to the stage's adoptStacks setting/);
    expect(await stack("payments-dev")).toEqual(before);
    expect(await db.stackClaim.count()).toBe(0);
    const read = await refreshStage({ app: await appRef("alpha"), stage: "dev", actor: TEST_ACTOR });
    expect(read.drift.map((d) => [d.service, d.kind])).toEqual([["payments", "refused"]]);
    expect(await liveServices(alpha.id)).toEqual([]);

    const { stage } = await setStage("alpha", { adoptStacks: ["payments"] });
    expect(stage.adoptStacks).toEqual(["payments"]);
    const adopted = await deployAndWait("alpha", "dev", [{ name: "payments", template: payments("alpha", 2) }]);
    expect(adopted.status, await logText(adopted.id)).toBe("success");
    expect(await logText(adopted.id)).toContain("Adopting stack payments-dev: it has no Sprout tags");
    expect((await stack("payments-dev"))?.tags).toEqual(TAGS_OF("alpha"));

    const audit = await db.auditEvent.findMany({ where: { appId: alpha.appId }, orderBy: { id: "asc" } });
    expect(audit.find((e) => e.action === "stage.update" && JSON.stringify(e.detail).includes("adoptStacks"))?.detail).toEqual({
      adoptStacks: { from: [], to: ["payments"] },
    });
    expect(audit.filter((e) => e.action === "stack.adopt").map((e) => [e.actor, e.target, e.detail])).toEqual([
      [
        "test",
        "dev payments",
        {
          stack: "payments-dev",
          where: expect.stringMatching(/^http:\/\/loopback:\d+, region us-east-1$/),
          how: expect.stringMatching(/^build #2/),
        },
      ],
    ]);
    expect((await db.stage.findUniqueOrThrow({ where: { id: alpha.id } })).adoptStacks).toEqual([]);
  });

  it("a stack deployed before Sprout tagged stacks stays the stage's the migration recorded it for: updated and tagged, no one else's", async () => {
    const old = JSON.stringify(payments("alpha")).replaceAll("${stage}", "dev");
    await cfn.send(new CreateStackCommand({ StackName: "payments-dev", TemplateBody: old }));
    const alpha = await cfnApp("alpha");
    await db.stageStack.create({ data: { stageId: alpha.id, service: "payments", name: "payments-dev", legacy: true } });
    const before = await stack("payments-dev");

    await cfnApp("beta");
    await expect(deployAndWait("beta", "dev", [{ name: "payments", template: payments("beta") }])).rejects.toThrow(
      /Stack payments-dev .* belongs to app "alpha" \(stage dev, service payments\)/,
    );
    expect(await stack("payments-dev")).toEqual(before);

    const updated = await deployAndWait("alpha", "dev", [{ name: "payments", template: payments("alpha", 2) }]);
    expect(updated.status, await logText(updated.id)).toBe("success");
    expect((await stack("payments-dev"))?.tags).toEqual(TAGS_OF("alpha"));
    expect(await db.stackClaim.findMany({ select: { name: true, stageId: true } })).toEqual([{ name: "payments-dev", stageId: alpha.id }]);
    expect(await db.auditEvent.count({ where: { action: "stack.adopt" } })).toBe(0);
  });
});
