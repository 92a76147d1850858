// How a build ends: a failed step's reason reaches the build's error, masked as logs are; a cancel
// that comes once the last step's change is made leaves the build a success; a cancel asked twice
// is one cancel in the audit.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { deploy } from "@/lib/server/operations/deploy";
import { cancelBuild } from "@/lib/server/operations/cancel-build";
import { ZDeployBody } from "@/lib/core/validation";
import { substituteStage } from "@/lib/core/templates";
import { templateText } from "@/lib/core/artifacts";
import { commit, service, waitFor } from "../support/fixtures";
import { createStage, deployAndWait, logText, waitForBuild, withWorker } from "../support/engine";
import { appRef, TEST_ACTOR } from "../support/context";

const queue = async (app: string, template: unknown) =>
  deploy({
    app: await appRef(app),
    stage: "prod",
    input: ZDeployBody.parse({ commit: commit(`deploy ${app}`), services: [{ name: "api", template }] }),
    actor: TEST_ACTOR,
  });

describe("with a worker", () => {
  withWorker();

  it("masks a failed step's error as its log is masked, and the build's error carries the step's reason", async () => {
    await createStage("secrets");
    const leak = "password=hunter2 AKIAIOSFODNN7EXAMPLE";
    const done = await deployAndWait("secrets", "prod", [{ name: "api", template: service({ fail: leak }) }]);
    const masked = "password=**** AKIA****************";
    expect(done.status).toBe("failed");
    expect(done.steps.map((s) => [s.service, s.status, s.error])).toEqual([["api", "failed", masked]]);
    expect(done.error).toBe(`api failed: ${masked}`);
    const log = await logText(done.id);
    expect(log).toContain(masked);
    for (const text of [done.error, done.steps[0]!.error, log]) {
      expect(text).not.toContain("hunter2");
      expect(text).not.toContain("IOSFODNN7EXAMPLE");
    }
  });

  it("ends a build whose steps all succeeded as a success when the cancel comes after the last change", async () => {
    const stage = await createStage("late-cancel");
    const fn = (version: number) => ({ Type: "AWS::Lambda::Function", Properties: { Handler: "i.main", Description: `v${version}` } });
    const v1 = {
      Metadata: { Sprout: { deploySeconds: 0.05 } },
      Resources: { Fn: fn(1), Topic: { Type: "AWS::SNS::Topic", Properties: { TopicName: "t" } } },
    };
    expect((await deployAndWait("late-cancel", "prod", [{ name: "api", template: v1 }])).status).toBe("success");
    // v2 changes Fn and drops Topic: the sandbox commits after 4 s, then paces the deletion for 2 s more
    const v2 = { Metadata: { Sprout: { deploySeconds: 6 } }, Resources: { Fn: fn(2) } };
    const queued = await queue("late-cancel", v2);
    const committed = substituteStage(templateText(v2), "prod");
    await waitFor(
      "v2 to be committed to the sandbox account",
      async () => (await db.sandboxStack.findFirst({ where: { stageId: stage.id, name: "api-prod", template: committed } })) ?? null,
      15_000,
    );
    const asked = await cancelBuild({ app: await appRef("late-cancel"), stage: "prod", number: queued.number, actor: TEST_ACTOR });
    expect([asked.status, asked.cancelRequested]).toEqual(["running", true]);
    const done = await waitForBuild("late-cancel", "prod", queued.number);
    expect(done.status).toBe("success");
    expect(done.cancelRequested).toBe(true);
    expect(done.steps.map((s) => [s.service, s.status])).toEqual([["api", "success"]]);
  });
});

describe("with the build held by a worker", () => {
  it("audits a cancel asked twice once", async () => {
    await createStage("twice");
    const queued = await queue("twice", service({ seconds: 0.05 }));
    // as a worker's claim leaves it: running, under a lease (no worker runs in this part of the file)
    await db.build.updateMany({
      where: { number: queued.number, stage: { app: { name: "twice" } } },
      data: { status: "running", workerId: "elsewhere", leaseUntil: new Date(Date.now() + 60_000), startedAt: new Date() },
    });
    const app = await appRef("twice");
    for (let i = 0; i < 2; i++) {
      const asked = await cancelBuild({ app, stage: "prod", number: queued.number, actor: TEST_ACTOR });
      expect([asked.status, asked.cancelRequested]).toEqual(["running", true]);
    }
    const audit = await db.auditEvent.findMany({ where: { appId: app.id, action: "cancel" }, select: { actor: true, target: true } });
    expect(audit).toEqual([{ actor: "test", target: `prod #${queued.number}` }]);
  });
});
