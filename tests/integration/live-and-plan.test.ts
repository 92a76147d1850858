// What is live and what a rollback changes, against a real PostgreSQL and a real worker: the stage
// JSON's `live` before and after a rollback, the rollback plan's commits undone, per-service builds
// and resource changes and destructive notes, and a rollback's reason stored, listed and audited.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { getStage } from "@/lib/server/data/get-stage";
import { getApp } from "@/lib/server/data/get-app";
import { listBuilds } from "@/lib/server/data/list-builds";
import { listAudit } from "@/lib/server/data/audit";
import { rollback, rollbackPlan } from "@/lib/server/operations/rollback";
import { ensureBootstrapToken } from "@/lib/server/auth/tokens";
import { GET as stageRoute } from "@/app/api/apps/[app]/stages/[stage]/route";
import { POST as rollbackRoute } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/rollback/route";
import { GET as planRoute } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/rollback-plan/route";
import { billingApi, notifyJob, service } from "../support/fixtures";
import { createStage, deployAndWait, waitForBuild, withWorker } from "../support/engine";
import { appRef, TEST_ACTOR } from "../support/context";
import type { TRollbackPlan, TStageInfo } from "@/lib/core/contracts";

withWorker();

const token = "live-and-plan-test-token-0123456789";
beforeAll(() => ensureBootstrapToken(token));

async function call(handler: (req: Request, ctx: never) => Promise<Response>, params: Record<string, string>, init: RequestInit = {}) {
  const headers = { authorization: `Bearer ${token}`, ...(init.body ? { "content-type": "application/json" } : {}) };
  const res = await handler(new Request("http://test/api", { ...init, headers }), { params: Promise.resolve(params) } as never);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const analytics = (seconds = 0.2) => ({
  Metadata: { Sprout: { deploySeconds: seconds } },
  Resources: {
    ServerlessDeploymentBucket: { Type: "AWS::S3::Bucket" },
    Archive: { Type: "AWS::DynamoDB::Table", DeletionPolicy: "Retain" },
    Subscription: {
      Type: "AWS::SNS::Subscription",
      Properties: { Protocol: "sqs", Endpoint: "arn:aws:sqs:x", TopicArn: { "Fn::ImportValue": "ExtNotePurchasedTopicArn-${stage}" } },
    },
  },
});

/** #1 without the topic; #2 adds the topic, its importer and a new analytics-job. */
async function scenario(app: string) {
  const stage = await createStage(app);
  const first = await deployAndWait(
    app,
    "prod",
    [
      { name: "billing-api", template: billingApi({ topic: false }) },
      { name: "notify-job", template: notifyJob({ imports: false }) },
    ],
    "First release",
  );
  const second = await deployAndWait(
    app,
    "prod",
    [
      { name: "billing-api", template: billingApi({ topic: true }) },
      { name: "notify-job", template: notifyJob({ imports: true }) },
      { name: "analytics-job", template: analytics() },
    ],
    "Add note-purchased topic",
  );
  expect([first.status, second.status]).toEqual(["success", "success"]);
  return { stage, first, second };
}

describe("what is live", () => {
  it("is the newest build whose release is live, then the rollback with the build it restored", async () => {
    await scenario("live-json");
    const ref = await appRef("live-json");
    expect((await getStage({ app: ref, stage: "prod" })).stage).toMatchObject({
      name: "prod",
      protected: false,
      live: { build: 2, releaseOf: null, status: "success" },
      latestBuild: { number: 2 },
    });

    const { build } = await rollback({ app: ref, stage: "prod", number: 1, actor: TEST_ACTOR });
    expect((await waitForBuild("live-json", "prod", build.number)).status).toBe("success");
    // the route answers the same JSON
    const res = await call(stageRoute, { app: "live-json", stage: "prod" });
    expect(res.status).toBe(200);
    expect((res.body.stage as TStageInfo).live).toEqual({ build: 3, releaseOf: 1, status: "success" });
    // the pipeline card reads the same
    const { app } = await getApp({ app: ref });
    expect(app.stages.find((s) => s.name === "prod")!.live).toEqual({ build: 3, releaseOf: 1, status: "success" });
  });

  it("stays on the successful build when a later deploy fails without changing anything", async () => {
    await createStage("live-failed");
    await deployAndWait("live-failed", "prod", [{ name: "api", template: service({ version: 1 }) }], "v1");
    const failed = await deployAndWait("live-failed", "prod", [
      { name: "api", template: service({ version: 2, fail: "Invalid runtime" }) },
    ]);
    expect(failed.status).toBe("failed");
    expect((await getStage({ app: await appRef("live-failed"), stage: "prod" })).stage.live).toEqual({
      build: 1,
      releaseOf: null,
      status: "success",
    });
  });

  it("is null for a stage with nothing deployed", async () => {
    await createStage("live-empty");
    expect((await getStage({ app: await appRef("live-empty"), stage: "prod" })).stage.live).toBeNull();
  });
});

describe("the rollback plan", () => {
  it("says what is live, the commits undone, each service's builds and resource changes, and what is deleted", async () => {
    await scenario("plan-impact");
    const res = await call(planRoute, { app: "plan-impact", stage: "prod", number: "1" });
    expect(res.status).toBe(200);
    const plan = res.body.plan as TRollbackPlan;
    expect(plan.live).toEqual({ build: 2, releaseOf: null, status: "success" });
    expect(plan.commitsUndone).toEqual([
      { build: 2, sha: expect.stringMatching(/^[0-9a-f]{40}$/), message: "Add note-purchased topic", author: "Jay <jay@example.com>" },
    ]);
    expect(plan.commitsTruncated).toBe(false);
    const step = (s: string) => plan.steps.find((x) => x.service === s)!;
    expect(step("analytics-job")).toMatchObject({ action: "remove", fromBuild: 2, toBuild: null });
    expect(step("billing-api")).toMatchObject({ action: "update", fromBuild: 2, toBuild: 1 });
    expect(step("billing-api").resources).toEqual([{ logicalId: "NotePurchasedTopic", type: "AWS::SNS::Topic", change: "removed" }]);
    expect(step("notify-job").resources).toEqual([{ logicalId: "NotifySubscription", type: "AWS::SNS::Subscription", change: "removed" }]);
    expect(step("analytics-job").resources.map((r) => [r.logicalId, r.change, r.retained ?? false])).toEqual([
      ["Archive", "removed", true],
      ["ServerlessDeploymentBucket", "removed", false],
      ["Subscription", "removed", false],
    ]);
    // in run order: the consumers first
    expect(plan.destructive.map((d) => d.message)).toEqual([
      "analytics-job will be deleted: S3 bucket ServerlessDeploymentBucket, SNS subscription Subscription; data is not restored",
      "notify-job loses a resource: SNS subscription NotifySubscription; data is not restored",
      "billing-api loses a resource: SNS topic NotePurchasedTopic; data is not restored",
    ]);
    const inUse = plan.warnings.find((w) => w.code === "export-in-use")!;
    expect(inUse.plain).toMatch(/^billing-api stops exporting ExtNotePurchasedTopicArn-prod, which analytics-job and notify-job use today/);
  });

  it("undoes nothing when rolling forward, and follows a rollback to the release it restored", async () => {
    await scenario("plan-forward");
    const ref = await appRef("plan-forward");
    const { build } = await rollback({ app: ref, stage: "prod", number: 1, actor: TEST_ACTOR });
    await waitForBuild("plan-forward", "prod", build.number);
    const forward = await rollbackPlan({ app: ref, stage: "prod", number: 2 });
    expect(forward.live).toEqual({ build: 3, releaseOf: 1, status: "success" });
    expect(forward.commitsUndone).toEqual([]);
    expect(forward.steps.find((s) => s.service === "analytics-job")).toMatchObject({ action: "create", fromBuild: null, toBuild: 2 });
    // billing-api's live artifact came back with rollback #3
    expect(forward.steps.find((s) => s.service === "billing-api")).toMatchObject({ fromBuild: 3, toBuild: 2 });
  });
});

describe("a rollback's reason", () => {
  it("is stored with the build, listed in the history and written to the audit", async () => {
    await scenario("reason");
    const res = await call(
      rollbackRoute,
      { app: "reason", stage: "prod", number: "1" },
      { method: "POST", body: JSON.stringify({ reason: "  Purchases fail since the topic went out  " }) },
    );
    expect(res.status).toBe(201);
    expect(res.body.build).toMatchObject({ number: 3, kind: "rollback", reason: "Purchases fail since the topic went out" });
    expect((await db.build.findFirstOrThrow({ where: { number: 3, stage: { app: { name: "reason" } } } })).reason).toBe(
      "Purchases fail since the topic went out",
    );
    const ref = await appRef("reason");
    expect((await listBuilds({ app: ref, stage: "prod" })).builds[0]).toMatchObject({
      number: 3,
      reason: "Purchases fail since the topic went out",
    });
    const { events } = await listAudit({ app: ref });
    // queued by a token: the audit names it
    expect(events[0]).toMatchObject({
      actor: "token:bootstrap",
      action: "rollback",
      target: "prod #3",
      detail: { rollbackOf: 1, reason: "Purchases fail since the topic went out" },
    });
    await waitForBuild("reason", "prod", 3);
  });

  it("is optional: no body, an empty body or a blank reason store none; a wrong one is a 400 naming it", async () => {
    await scenario("reason-optional");
    const params = { app: "reason-optional", stage: "prod", number: "1" };
    const none = await call(rollbackRoute, params, { method: "POST" });
    expect(none.status).toBe(201);
    expect(none.body.build).toMatchObject({ number: 3, reason: null });
    // the same rollback again answers that build
    expect((await call(rollbackRoute, params, { method: "POST", body: JSON.stringify({ reason: " " }) })).status).toBe(200);
    const long = await call(rollbackRoute, params, { method: "POST", body: JSON.stringify({ reason: "x".repeat(501) }) });
    expect(long).toEqual({ status: 400, body: { error: { code: "bad_request", message: "reason: must be at most 500 characters" } } });
    const wrong = await call(rollbackRoute, params, { method: "POST", body: JSON.stringify({ why: "typo" }) });
    expect(wrong.status).toBe(400);
    expect((wrong.body.error as { message: string }).message).toMatch(/why/);
    const notJson = await call(rollbackRoute, params, { method: "POST", body: "reason=x" });
    expect(notJson).toMatchObject({
      status: 400,
      body: { error: { code: "bad_request", message: expect.stringMatching(/^The request body is not valid JSON \(/) } },
    });
    await waitForBuild("reason-optional", "prod", 3);
  });
});
