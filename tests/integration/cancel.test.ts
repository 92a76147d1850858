// A cancel stops a running step within seconds (the sandbox account left as it was), so that a
// tenant's long steps never hold every worker slot; a step past its stage's time limit fails with
// the limit named; a deploySeconds past the cap is refused at deploy.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { deploy } from "@/lib/server/operations/deploy";
import { cancelBuild } from "@/lib/server/operations/cancel-build";
import { updateStage } from "@/lib/server/operations/stages";
import { createToken } from "@/lib/server/operations/tokens";
import { POST as deployPost } from "@/app/api/apps/[app]/stages/[stage]/builds/route";
import { ZDeployBody, ZStagePatch, ZTokenCreate } from "@/lib/core/validation";
import { commit, service, waitFor } from "../support/fixtures";
import { createStage, deployAndWait, liveOf, logText, waitForBuild, withWorker } from "../support/engine";
import { appRef, TEST_ACTOR } from "../support/context";
import { call } from "../support/auth";

withWorker({ concurrency: 4 });

async function queue(app: string, template: unknown, name = "api") {
  return deploy({
    app: await appRef(app),
    stage: "prod",
    input: ZDeployBody.parse({ commit: commit(`deploy ${app}`), services: [{ name, template }] }),
    actor: TEST_ACTOR,
  });
}

const cancel = async (app: string, number: number) => cancelBuild({ app: await appRef(app), stage: "prod", number, actor: TEST_ACTOR });

const running = (app: string) =>
  waitFor(`a step of ${app} to run`, async () =>
    db.step.findFirst({ where: { status: "running", build: { stage: { app: { name: app } } } } }),
  );

describe("cancel", () => {
  it("stops a running 1,000 s step within seconds: the build ends canceled and the sandbox account is unchanged", async () => {
    const stage = await createStage("cancel-now");
    const v1 = await deployAndWait("cancel-now", "prod", [{ name: "api", template: service({ version: 1, seconds: 0.05 }) }]);
    expect(v1.status).toBe("success");
    const account = await db.sandboxStack.findMany({ where: { stageId: stage.id } });
    const live = await liveOf(stage.id);

    const slow = await queue("cancel-now", service({ version: 2, seconds: 1000 }));
    await running("cancel-now");
    const asked = Date.now();
    await cancel("cancel-now", slow.number);
    const done = await waitForBuild("cancel-now", "prod", slow.number, 10_000);
    expect(Date.now() - asked).toBeLessThan(4000);

    expect(done.status).toBe("canceled");
    expect(done.error).toBeNull();
    expect(done.steps.map((s) => [s.service, s.status, s.error])).toEqual([
      ["api", "canceled", "Canceled: nothing was changed; stack api-prod is as it was."],
    ]);
    expect(await db.sandboxStack.findMany({ where: { stageId: stage.id } })).toEqual(account);
    expect(await liveOf(stage.id)).toEqual(live);
    expect(await logText(done.id)).toContain("api: \u001b[33mCanceled: nothing was changed; stack api-prod is as it was.");
  });

  it("frees the worker's slots: four builds of 1,000 s steps fill them, another app's build waits, and runs once they are canceled", async () => {
    const apps = ["slot-a", "slot-b", "slot-c", "slot-d"];
    const long: { number: number }[] = [];
    for (const app of apps) {
      await createStage(app);
      long.push(await queue(app, service({ seconds: 1000 })));
    }
    for (const app of apps) await running(app);
    await createStage("slot-e");
    const other = await queue("slot-e", service({ seconds: 0.05 }));
    // every slot is taken: nothing picks the other app's build up (the worker polls every 2 s)
    await new Promise((r) => setTimeout(r, 2500));
    expect((await db.build.findFirstOrThrow({ where: { number: other.number, stage: { app: { name: "slot-e" } } } })).status).toBe(
      "queued",
    );

    const asked = Date.now();
    await Promise.all(apps.map((app, i) => cancel(app, long[i]!.number)));
    const ended = await Promise.all(apps.map((app, i) => waitForBuild(app, "prod", long[i]!.number, 10_000)));
    expect(Date.now() - asked).toBeLessThan(5000);
    expect(ended.map((b) => [b.status, b.steps[0]!.status])).toEqual(apps.map(() => ["canceled", "canceled"]));
    const done = await waitForBuild("slot-e", "prod", other.number, 10_000);
    expect(done.status).toBe("success");
  });
});

describe("a step's time limit", () => {
  it("stops a step that runs past its stage's stepTimeoutMinutes and fails it with the limit named", async () => {
    const stage = await createStage("overtime");
    const app = await appRef("overtime");
    const patched = await updateStage({ app, stage: "prod", input: ZStagePatch.parse({ stepTimeoutMinutes: 0.05 }), actor: TEST_ACTOR });
    expect(patched.stage.stepTimeoutMinutes).toBe(0.05);

    const started = Date.now();
    const done = await deployAndWait("overtime", "prod", [{ name: "api", template: service({ seconds: 1000 }) }]);
    expect(Date.now() - started).toBeLessThan(8000);
    const reason = "Timed out after 3 s: nothing was changed; stack api-prod was not created.";
    expect(done.status).toBe("failed");
    expect(done.error).toBe(`api failed: ${reason}`);
    expect(done.steps.map((s) => [s.service, s.status, s.error])).toEqual([["api", "failed", reason]]);
    expect(await db.sandboxStack.count({ where: { stageId: stage.id } })).toBe(0);
    expect(await liveOf(stage.id)).toEqual({});
  });
});

describe("deploySeconds", () => {
  it("over the cap of 3,600 is refused at deploy with a 400 naming the limit, and nothing is queued", async () => {
    await createStage("too-slow");
    const { value } = await createToken({
      app: await appRef("too-slow"),
      input: ZTokenCreate.parse({ name: "ci", role: "deployer" }),
      actor: TEST_ACTOR,
    });
    const body = { commit: commit("slow"), services: [{ name: "api", template: service({ seconds: 1_000_000 }) }] };
    const res = await call(deployPost, "/x", { app: "too-slow", stage: "prod" }, { token: value, body });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: "bad_request",
      message: "services[0].template: api template, line 4: Metadata.Sprout.deploySeconds: must be at most 3600 (one hour); got 1000000",
    });
    expect(await db.build.count({ where: { stage: { app: { name: "too-slow" } } } })).toBe(0);
  });
});
