// Promote on the sandbox: dev's build redeployed to prod with prod's parameter values, no rebuild;
// the plan's resource changes; only successful builds; the next stage by default; the history's words.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { promote, promotePlan } from "@/lib/server/operations/promote";
import { listBuilds } from "@/lib/server/data/list-builds";
import { getStage } from "@/lib/server/data/get-stage";
import { ZPromoteBody } from "@/lib/core/validation";
import { billingApi, notifyJob } from "../support/fixtures";
import { deployAndWait, waitForBuild, withWorker } from "../support/engine";
import { appRef, TEST_ACTOR } from "../support/context";

withWorker();

const APP = "promo";
/** billing-api with a parameter each stage may set: its digest depends on the value. */
const billing = (topic: boolean) => ({
  ...billingApi({ topic }),
  Parameters: { LogRetentionDays: { Type: "Number", Default: "7" } },
});

beforeAll(async () => {
  await db.app.create({
    data: {
      name: APP,
      stages: {
        create: [
          { name: "dev", position: 0 },
          { name: "prod", position: 1, parameters: { "billing-api": { LogRetentionDays: "30" } } },
        ],
      },
    },
  });
  // prod runs the release without the topic; dev gets the topic commit
  await deployAndWait(APP, "prod", [
    { name: "billing-api", template: billing(false) },
    { name: "notify-job", template: notifyJob({ imports: false }) },
  ]);
  await deployAndWait(
    APP,
    "dev",
    [
      { name: "billing-api", template: billing(true) },
      { name: "notify-job", template: notifyJob({ imports: true }) },
    ],
    "Add note-purchased topic",
  );
});

const ref = () => appRef(APP);

describe("promote", () => {
  it("plans dev #1 into prod (the next stage): per service the step and the resources it adds", async () => {
    const plan = await promotePlan({ app: await ref(), stage: "dev", number: 1 });
    expect(plan).toMatchObject({
      from: { stage: "dev", number: 1 },
      to: "prod",
      resourcesFrom: "templates",
      pinned: null,
      requireApproval: false,
    });
    expect(plan.order).toBe("1. billing-api  2. notify-job");
    expect(plan.steps.map((s) => [s.service, s.action, s.resources])).toEqual([
      ["billing-api", "update", [{ logicalId: "NotePurchasedTopic", type: "AWS::SNS::Topic", change: "added" }]],
      ["notify-job", "update", [{ logicalId: "NotifySubscription", type: "AWS::SNS::Subscription", change: "added" }]],
    ]);
    // nothing stored by a plan
    expect(await db.build.count({ where: { stage: { name: "prod", app: { name: APP } } } })).toBe(1);
  });

  it("queues a promote build that deploys dev's artifacts resolved for prod, with no rebuild", async () => {
    const queued = await promote({ app: await ref(), stage: "dev", number: 1, input: ZPromoteBody.parse({}), actor: TEST_ACTOR });
    expect(queued).toMatchObject({ number: 2, kind: "promote", trigger: "promote", promotedFrom: { stage: "dev", number: 1 } });
    expect(queued.commit.message).toBe("Add note-purchased topic");
    const done = await waitForBuild(APP, "prod", queued.number);
    expect(done.status).toBe("success");
    const dev = await db.build.findFirstOrThrow({ where: { number: 1, stage: { name: "dev", app: { name: APP } } } });
    const [devArtifacts, prodArtifacts] = await Promise.all(
      [dev.target, done.target].map((t) =>
        db.artifact.findMany({ where: { digest: { in: Object.values(t as Record<string, string>) } }, orderBy: { service: "asc" } }),
      ),
    );
    // the same templates (${stage} unresolved), prod's parameter value: a new digest for billing-api
    expect(prodArtifacts.map((a) => a.template)).toEqual(devArtifacts.map((a) => a.template));
    expect(devArtifacts[0]!.parameters).toEqual({ LogRetentionDays: "7" });
    expect(prodArtifacts[0]!.parameters).toEqual({ LogRetentionDays: "30" });
    expect(prodArtifacts[0]!.digest).not.toBe(devArtifacts[0]!.digest);
    expect(prodArtifacts[1]!.digest).toBe(devArtifacts[1]!.digest);
    // prod's account has prod's export, imported by prod's notify-job
    const stacks = await db.sandboxStack.findMany({ where: { stage: { name: "prod", app: { name: APP } } }, orderBy: { name: "asc" } });
    expect(Object.keys(stacks[0]!.exports as object)).toEqual(["ExtNotePurchasedTopicArn-prod"]);
    expect(stacks[1]!.imports).toEqual(["ExtNotePurchasedTopicArn-prod"]);
    // the history says where it came from; the audit records a promote
    const { builds } = await listBuilds({ app: await ref(), stage: "prod" });
    expect(builds[0]).toMatchObject({ number: 2, kind: "promote", promotedFrom: { stage: "dev", number: 1 } });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { target: "prod #2" } });
    expect(audit).toMatchObject({ action: "promote", actor: "test", detail: { promotedFrom: "dev #1" } });
    expect((await getStage({ app: await ref(), stage: "dev" })).stage.nextStage).toBe("prod");
  });

  it("promotes only successful builds, never to its own stage or past the last one, and says why", async () => {
    const failed = await deployAndWait(APP, "dev", [{ name: "billing-api", template: billingApi({ topic: true, fail: "Rate exceeded" }) }]);
    expect(failed.status).toBe("failed");
    const app = await ref();
    const input = ZPromoteBody.parse({});
    await expect(promote({ app, stage: "dev", number: failed.number, input, actor: TEST_ACTOR })).rejects.toMatchObject({
      code: "conflict",
      message: `Build #${failed.number} of dev failed; only a successful build can be promoted.`,
    });
    await expect(promotePlan({ app, stage: "dev", number: failed.number })).rejects.toMatchObject({ code: "conflict" });
    await expect(promote({ app, stage: "prod", number: 2, input, actor: TEST_ACTOR })).rejects.toMatchObject({
      code: "bad_request",
      message: `to: prod is the last stage of ${APP}'s pipeline; name the stage to promote #2 to.`,
    });
    await expect(promote({ app, stage: "dev", number: 1, input: { to: "dev" }, actor: TEST_ACTOR })).rejects.toMatchObject({
      message: "to: #1 already belongs to dev; promote it to another stage.",
    });
    await expect(promote({ app, stage: "dev", number: 1, input: { to: "qa" }, actor: TEST_ACTOR })).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await db.build.count({ where: { stage: { name: "prod", app: { name: APP } } } })).toBe(2);
  });
});
