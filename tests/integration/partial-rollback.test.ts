// Partial rollback on the sandbox: restore only some services of #N's release, with the ones that
// must move with them named and why; every other service keeps its live artifact; a combination
// with no single pass is refused with the reason, and nothing is queued.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { rollback, rollbackPlan } from "@/lib/server/operations/rollback";
import { listBuilds } from "@/lib/server/data/list-builds";
import { GET as planGet } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/rollback-plan/route";
import { POST as rollbackPost } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/rollback/route";
import { createToken } from "@/lib/server/operations/tokens";
import { ZTokenCreate } from "@/lib/core/validation";
import { billingApi, notifyJob, service } from "../support/fixtures";
import { createStage, deployAndWait, liveOf, runOrder, waitForBuild, withWorker } from "../support/engine";
import { appRef, TEST_ACTOR } from "../support/context";
import { call } from "../support/auth";

withWorker();

const TOPIC = "ExtNotePurchasedTopicArn-prod";

describe("partial rollback", () => {
  it("restores billing-api with notify-job, which imports what billing-api #1 does not export; frontend keeps its live artifact", async () => {
    const stage = await createStage("part");
    const frontend = (v: number) => ({ name: "frontend", template: service({ version: v }) });
    const first = await deployAndWait("part", "prod", [
      { name: "billing-api", template: billingApi({ topic: false }) },
      { name: "notify-job", template: notifyJob({ imports: false }) },
      frontend(1),
    ]);
    await deployAndWait("part", "prod", [
      { name: "billing-api", template: billingApi({ topic: true }) },
      { name: "notify-job", template: notifyJob({ imports: true }) },
      frontend(2),
    ]);
    const before = await liveOf(stage.id);
    const app = await appRef("part");

    const plan = await rollbackPlan({ app, stage: "prod", number: 1, services: ["billing-api"] });
    expect(plan.partial).toEqual({
      picked: ["billing-api"],
      services: ["billing-api", "notify-job"],
      moved: [{ service: "notify-job", reason: `notify-job imports ${TOPIC}, which billing-api #1 does not export` }],
    });
    expect(plan.order).toBe("1. notify-job  2. billing-api");
    expect(plan.steps.find((s) => s.service === "frontend")).toMatchObject({ action: "unchanged", changes: false });
    // the same through the route's query string
    const { value: token } = await createToken({ app, input: ZTokenCreate.parse({ name: "viewer", role: "viewer" }), actor: TEST_ACTOR });
    const viaRoute = await call(
      planGet,
      "/api/apps/part/stages/prod/builds/1/rollback-plan?services=billing-api",
      { app: "part", stage: "prod", number: "1" },
      { token },
    );
    expect(viaRoute.body.plan.partial.services).toEqual(["billing-api", "notify-job"]);

    // a deployer's POST …/rollback { services }: 201 with the build, the services it restores, and its plan
    const { value: deployer } = await createToken({ app, input: ZTokenCreate.parse({ name: "ci", role: "deployer" }), actor: TEST_ACTOR });
    const rollbackOne = () =>
      call(
        rollbackPost,
        "/api/apps/part/stages/prod/builds/1/rollback",
        { app: "part", stage: "prod", number: "1" },
        {
          token: deployer,
          body: { services: ["billing-api"], reason: "billing-api #2 breaks refunds" },
        },
      );
    const posted = await rollbackOne();
    expect(posted.status).toBe(201);
    const build = posted.body.build;
    expect(build).toMatchObject({
      kind: "rollback",
      rollbackOf: 1,
      rollbackServices: ["billing-api", "notify-job"],
      reason: "billing-api #2 breaks refunds",
    });
    expect(build.steps.map((s: { service: string; action: string }) => [s.service, s.action])).toEqual([
      ["frontend", "unchanged"],
      ["notify-job", "update"],
      ["billing-api", "update"],
    ]);
    // the same request again is answered 200 with that build
    const again = await rollbackOne();
    expect(again).toMatchObject({ status: 200, body: { build: { number: build.number } } });
    const done = await waitForBuild("part", "prod", build.number);
    expect(done.status).toBe("success");
    expect(runOrder(done.steps)).toEqual(["notify-job", "billing-api"]);
    const release = first.release as Record<string, string>;
    expect(await liveOf(stage.id)).toEqual({
      "billing-api": release["billing-api"],
      frontend: before.frontend,
      "notify-job": release["notify-job"],
    });
    const { builds } = await listBuilds({ app, stage: "prod" });
    expect(builds[0]).toMatchObject({ number: build.number, rollbackServices: ["billing-api", "notify-job"] });
    // what is live is this build's own release, not #1's
    expect((await db.build.findFirstOrThrow({ where: { id: done.id } })).release).not.toEqual(first.release);
  });

  it("refuses a combination with no single pass, saying why, and queues nothing", async () => {
    // #1: p exports X = v1, imported by c. #2: c stops importing, p changes X to v2. #3: c imports X again.
    // Restoring p to #1 changes X's value while c still imports it: AWS refuses that whatever the order.
    const stage = await createStage("nopass");
    const p = (value: string) => ({
      name: "p",
      template: {
        Resources: { Fn: { Type: "AWS::Lambda::Function", Properties: { Description: value } } },
        Outputs: { X: { Value: value, Export: { Name: "X-${stage}" } } },
      },
    });
    const c = (imports: boolean) => ({
      name: "c",
      template: service({ imports: imports ? ["X-${stage}"] : [], version: imports ? 1 : 2 }),
    });
    for (const build of [[p("v1"), c(true)], [p("v2"), c(false)], [c(true)]])
      expect((await deployAndWait("nopass", "prod", build)).status).toBe("success");
    const app = await appRef("nopass");
    const why =
      "services: No single build restores p (with c, which must move with it) to #1: p changes the value of export X-prod, still imported by c";
    await expect(rollbackPlan({ app, stage: "prod", number: 1, services: ["p"] })).rejects.toMatchObject({ code: "conflict" });
    await expect(rollback({ app, stage: "prod", number: 1, services: ["p"], actor: TEST_ACTOR })).rejects.toThrow(why);
    await expect(rollback({ app, stage: "prod", number: 1, services: ["nope"], actor: TEST_ACTOR })).rejects.toMatchObject({
      code: "bad_request",
      message: "services: nope is neither live nor part of #1's release: pick among c and p.",
    });
    expect(await db.build.count({ where: { stageId: stage.id } })).toBe(3);
  });
});
