// Pin after rollback through the real routes: a successful rollback pins its stage; deploys and
// promotes answer 423 with the reason; a push build ends skipped; a deploy queued before the pin is
// skipped when its turn comes; force unpins (audited, notified), for a deploy or a promote; DELETE …/pin
// unpins. A webhook on the stage hears of each pin and unpin.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { createToken } from "@/lib/server/operations/tokens";
import { rollback } from "@/lib/server/operations/rollback";
import { queueSourceBuild } from "@/lib/server/data/queue-source-build";
import { deploy } from "@/lib/server/operations/deploy";
import { GET as stageGet } from "@/app/api/apps/[app]/stages/[stage]/route";
import { POST as deployPost } from "@/app/api/apps/[app]/stages/[stage]/builds/route";
import { POST as promotePost } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/promote/route";
import { POST as redeployPost } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/redeploy/route";
import { DELETE as pinDelete } from "@/app/api/apps/[app]/stages/[stage]/pin/route";
import { createNotification } from "@/lib/server/operations/notifications";
import { ZDeployBody, ZNotificationCreate, ZTokenCreate } from "@/lib/core/validation";
import { commit, service, waitFor } from "../support/fixtures";
import { createPipeline, deployAndWait, waitForBuild, withWorker } from "../support/engine";
import { appRef, TEST_ACTOR } from "../support/context";
import { call } from "../support/auth";
import { startReceiver, type TReceiver } from "../support/receiver";

withWorker();

const APP = "pinned";
let token = "";
const stageUrl = `/api/apps/${APP}/stages/prod`;
const params = { app: APP, stage: "prod" };
const api = (v: number, seconds = 0.05) => [{ name: "api", template: service({ version: v, seconds }) }];
let hook: TReceiver;
type TStageEvent = {
  event: string;
  stage: string;
  build: { number: number; kind: string } | null;
  pin: { build: number; by: string; reason: string | null };
};
/** the stage.pinned and stage.unpinned messages the stage's webhook got, once it got `count` of them */
const stageEvents = (count: number) =>
  waitFor(`${count} pin notifications`, async () => {
    const events = hook.received.map((r) => JSON.parse(r.body) as TStageEvent).filter((b) => b.event.startsWith("stage."));
    return events.length >= count ? events : null;
  });

beforeAll(async () => {
  await createPipeline(APP);
  token = (await createToken({ app: await appRef(APP), input: ZTokenCreate.parse({ name: "ci", role: "deployer" }), actor: TEST_ACTOR }))
    .value;
  await deployAndWait(APP, "prod", api(1), "v1");
  await deployAndWait(APP, "prod", api(2), "v2");
  await deployAndWait(APP, "dev", api(3), "v3");
  hook = await startReceiver();
  await createNotification({
    app: await appRef(APP),
    stage: "prod",
    input: ZNotificationCreate.parse({ kind: "webhook", url: `${hook.url}/pins` }),
    actor: TEST_ACTOR,
  });
});
afterAll(async () => {
  await hook.close();
});

describe("pin after rollback", () => {
  it("pins the stage when a rollback succeeds, and tells its targets; deploys, redeploys and promotes into it answer 423 with the way out", async () => {
    const { build } = await rollback({ app: await appRef(APP), stage: "prod", number: 1, actor: TEST_ACTOR, reason: "v2 breaks checkout" });
    expect((await waitForBuild(APP, "prod", build.number)).status).toBe("success");

    const { body: info } = await call(stageGet, stageUrl, params, { token });
    expect(info.stage.pinned).toMatchObject({ build: 1, rollback: build.number, by: "test", reason: "v2 breaks checkout" });
    expect(Date.parse(info.stage.pinned.at)).toBeLessThanOrEqual(Date.now());
    expect(await db.auditEvent.findFirst({ where: { action: "stage.pin", target: "prod" } })).toMatchObject({
      actor: "test",
      detail: { build: 1, rollback: build.number, reason: "v2 breaks checkout" },
    });
    const [pinned] = await stageEvents(1);
    expect(pinned).toMatchObject({
      event: "stage.pinned",
      stage: "prod",
      build: { number: build.number, kind: "rollback" },
      pin: { build: 1, by: "test", reason: "v2 breaks checkout" },
    });

    const refusals = [
      await call(deployPost, `${stageUrl}/builds`, params, { token, body: { commit: commit("v4"), services: api(4) } }),
      await call(redeployPost, `${stageUrl}/builds/2/redeploy`, { ...params, number: "2" }, { token, method: "POST" }),
      await call(promotePost, `/api/apps/${APP}/stages/dev/builds/1/promote`, { app: APP, stage: "dev", number: "1" }, { token, body: {} }),
    ];
    for (const [res, doing] of refusals.map((r, i) => [r, ["deploy", "redeploy", "promote"][i]] as const)) {
      expect(res.status).toBe(423);
      expect(res.body.error!.code).toBe("locked");
      expect(res.body.error!.message).toMatch(
        new RegExp(
          `^Stage prod is pinned to #1 after a rollback by test \\(.+\\): a ${doing} into it is refused until it is unpinned\\. Unpin it \\(DELETE /api/apps/${APP}/stages/prod/pin, or Unpin on the stage page\\), or send force: true to ${doing} anyway, which unpins it\\.$`,
        ),
      );
    }
    // nothing was queued, nothing numbered
    expect(await db.build.count({ where: { stage: { name: "prod", app: { name: APP } } } })).toBe(3);
  });

  it("ends a push build skipped at once, saying so", async () => {
    const st = await db.stage.findFirstOrThrow({ where: { name: "prod", app: { name: APP } } });
    const push = await queueSourceBuild({
      stage: st,
      trigger: "push",
      request: { ref: "a".repeat(40), services: null, force: false },
      commit: { sha: "a".repeat(40), message: "push while pinned", author: null, branch: "main" },
      triggeredBy: "push:main",
    });
    expect(push).toMatchObject({ status: "skipped", skippedReason: "stage pinned to #1" });
    expect(push.steps.map((s) => s.status)).toEqual(["skipped"]);
  });

  it("a deployer's force: true deploys and unpins, audited; DELETE …/pin unpins; the targets hear of each", async () => {
    const forced = await call(deployPost, `${stageUrl}/builds`, params, {
      token,
      body: { commit: commit("v5"), services: api(5), force: true },
    });
    expect(forced.status).toBe(201);
    expect((await waitForBuild(APP, "prod", forced.body.build.number)).status).toBe("success");
    expect((await call(stageGet, stageUrl, params, { token })).body.stage.pinned).toBeNull();
    expect(await db.auditEvent.findFirst({ where: { action: "stage.unpin" } })).toMatchObject({
      actor: "token:ci",
      detail: { build: 1, because: `deploy #${forced.body.build.number} with force` },
    });

    // pinned again by another rollback, then unpinned by hand; a second DELETE changes nothing
    const { build } = await rollback({ app: await appRef(APP), stage: "prod", number: 2, actor: TEST_ACTOR });
    expect((await waitForBuild(APP, "prod", build.number)).status).toBe("success");
    const first = await call(pinDelete, `${stageUrl}/pin`, params, { token, method: "DELETE" });
    expect(first).toMatchObject({ status: 200, body: { pinned: null, unpinned: true } });
    const again = await call(pinDelete, `${stageUrl}/pin`, params, { token, method: "DELETE" });
    expect(again).toMatchObject({ status: 200, body: { pinned: null, unpinned: false } });
    expect(await db.auditEvent.count({ where: { action: "stage.unpin" } })).toBe(2);
    // the forced deploy's unpin, the new pin, the unpin by hand (the second DELETE tells no one)
    const events = (await stageEvents(4)).slice(1);
    expect(events.map((e) => [e.event, e.pin])).toEqual([
      ["stage.unpinned", { build: 1, by: "token:ci", reason: null }],
      ["stage.pinned", { build: 2, by: "test", reason: null }],
      ["stage.unpinned", { build: 2, by: "token:ci", reason: null }],
    ]);
    const next = await call(deployPost, `${stageUrl}/builds`, params, { token, body: { commit: commit("v6"), services: api(6) } });
    expect(next.status).toBe(201);
    expect((await waitForBuild(APP, "prod", next.body.build.number)).status).toBe("success");
  });

  it("a deploy queued while a rollback runs is skipped when its turn comes: the rollback pinned the stage", async () => {
    const app = await appRef(APP);
    // restoring v7 takes a second: the deploy below is queued while the rollback runs
    await deployAndWait(APP, "prod", api(7, 1), "v7 slow");
    const slow = await deployAndWait(APP, "prod", api(8), "v8");
    const { build: rb } = await rollback({ app, stage: "prod", number: slow.number - 1, actor: TEST_ACTOR });
    const behind = await deploy({
      app,
      stage: "prod",
      input: ZDeployBody.parse({ commit: commit("v9"), services: api(9) }),
      actor: TEST_ACTOR,
    });
    expect(behind.status).toBe("queued");
    expect((await waitForBuild(APP, "prod", rb.number)).status).toBe("success");
    const skipped = await waitForBuild(APP, "prod", behind.number);
    expect(skipped).toMatchObject({ status: "skipped", skippedReason: `stage pinned to #${slow.number - 1}`, startedAt: null });
  });

  it("a promote into the pinned stage answers 423; with force: true it unpins the stage and runs", async () => {
    const pinnedTo = (await db.stage.findFirstOrThrow({ where: { name: "prod", app: { name: APP } } })).pinnedBuild;
    expect(pinnedTo).not.toBeNull(); // by the previous test's rollback
    const promoteUrl = `/api/apps/${APP}/stages/dev/builds/1/promote`;
    const devParams = { app: APP, stage: "dev", number: "1" };
    const refused = await call(promotePost, promoteUrl, devParams, { token, body: { to: "prod" } });
    expect(refused.status).toBe(423);
    expect(refused.body.error!.message).toContain("send force: true to promote anyway, which unpins it.");

    const forced = await call(promotePost, promoteUrl, devParams, { token, body: { to: "prod", force: true } });
    expect(forced.status).toBe(201);
    expect(forced.body.build).toMatchObject({ kind: "promote", status: "queued", promotedFrom: { stage: "dev", number: 1 } });
    const done = await waitForBuild(APP, "prod", forced.body.build.number);
    expect(done.status).toBe("success");
    expect(done.steps.map((s) => [s.service, s.status])).toEqual([["api", "success"]]);
    expect((await call(stageGet, stageUrl, params, { token })).body.stage.pinned).toBeNull();
    expect(await db.auditEvent.findFirst({ where: { action: "stage.unpin" }, orderBy: { id: "desc" } })).toMatchObject({
      actor: "token:ci",
      detail: { build: pinnedTo, because: `promote #${done.number} with force` },
    });
  });
});
