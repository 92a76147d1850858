// Approval through the real routes, with two signed-in deployers: a deploy waits for approval with
// nothing run; its author may not approve it (403); the stage's queue waits behind it while a
// rollback goes ahead; another deployer approves (it runs, approvedBy says who) or rejects. A promote
// waits the same way. A webhook on the stage hears of each build awaiting approval, rejected or canceled.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { hasJob, runBuildJobKey } from "@/lib/server/jobs";
import { PATCH as stagePatch } from "@/app/api/apps/[app]/stages/[stage]/route";
import { POST as deployPost } from "@/app/api/apps/[app]/stages/[stage]/builds/route";
import { GET as buildGet } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/route";
import { POST as approvePost } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/approve/route";
import { POST as rejectPost } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/reject/route";
import { POST as rollbackPost } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/rollback/route";
import { POST as promotePost } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/promote/route";
import { POST as cancelPost } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/cancel/route";
import { DELETE as pinDelete } from "@/app/api/apps/[app]/stages/[stage]/pin/route";
import { createNotification } from "@/lib/server/operations/notifications";
import { ZNotificationCreate } from "@/lib/core/validation";
import { commit, service, waitFor } from "../support/fixtures";
import { createPipeline, deployAndWait, waitForBuild, withWorker } from "../support/engine";
import { call, signIn, userWithRole } from "../support/auth";
import { appRef, TEST_ACTOR } from "../support/context";
import { startReceiver, type TReceiver } from "../support/receiver";

withWorker();

const APP = "gated";
const base = `/api/apps/${APP}/stages/prod`;
const params = { app: APP, stage: "prod" };
const buildParams = (n: number) => ({ ...params, number: String(n) });
let ada = "";
let bob = "";
let admin = "";

const deployBody = (v: number) => ({
  commit: commit(`v${v}`),
  services: [{ name: "api", template: service({ version: v, seconds: 0.05 }) }],
});
let hook: TReceiver;
/** waits for the stage's webhook to hear `event` of build #n */
const heard = (event: string, n: number) =>
  waitFor(`${event} of #${n} to be delivered`, async () =>
    hook.received
      .map((r) => JSON.parse(r.body) as { event: string; build: { number: number; status: string; triggeredBy: string } })
      .find((b) => b.event === event && b.build.number === n),
  );
const jobOf = async (app: string, n: number) => {
  const b = await db.build.findFirstOrThrow({ where: { number: n, stage: { name: "prod", app: { name: app } } } });
  return hasJob(db, runBuildJobKey(b.id));
};

beforeAll(async () => {
  await createPipeline(APP);
  await deployAndWait(APP, "prod", deployBody(1).services, "v1");
  await deployAndWait(APP, "dev", deployBody(9).services, "v9");
  hook = await startReceiver();
  await createNotification({
    app: await appRef(APP),
    stage: "prod",
    input: ZNotificationCreate.parse({ kind: "webhook", url: `${hook.url}/gate` }),
    actor: TEST_ACTOR,
  });
  await userWithRole("ada@example.com", APP, "deployer");
  await userWithRole("bob@example.com", APP, "deployer");
  await userWithRole("admin@example.com", APP, "admin");
  [ada, bob, admin] = await Promise.all(["ada", "bob", "admin"].map(async (u) => (await signIn(`${u}@example.com`)).cookie));
  const patched = await call(stagePatch, base, params, { cookie: admin, method: "PATCH", body: { requireApproval: true } });
  expect(patched.status).toBe(200);
});
afterAll(async () => {
  await hook.close();
});

describe("approval", () => {
  it("holds a deploy with nothing run; its author may not approve it; another deployer approves and it runs", async () => {
    const queued = await call(deployPost, `${base}/builds`, params, { cookie: ada, body: deployBody(2) });
    expect(queued.status).toBe(201);
    expect(queued.body.build).toMatchObject({
      number: 2,
      status: "awaiting_approval",
      triggeredBy: "user:ada@example.com",
      approvedBy: null,
    });
    expect(await jobOf(APP, 2)).toBe(false);
    expect(queued.body.build.steps.every((s: { status: string }) => s.status === "pending")).toBe(true);
    expect(await heard("build.awaiting_approval", 2)).toMatchObject({
      build: { status: "awaiting_approval", triggeredBy: "user:ada@example.com" },
    });

    const self = await call(approvePost, `${base}/builds/2/approve`, buildParams(2), { cookie: ada, method: "POST" });
    expect(self).toEqual({
      status: 403,
      body: {
        error: {
          code: "forbidden",
          message: "You queued #2; a deployer other than ada@example.com must approve it (stage prod requires a second pair of eyes).",
        },
      },
    });
    const approved = await call(approvePost, `${base}/builds/2/approve`, buildParams(2), { cookie: bob, method: "POST" });
    expect(approved.status).toBe(200);
    expect(approved.body.build).toMatchObject({ status: "queued", approvedBy: "user:bob@example.com" });
    expect((await waitForBuild(APP, "prod", 2)).status).toBe("success");
    expect(await db.auditEvent.findFirst({ where: { action: "approve" } })).toMatchObject({
      actor: "user:bob@example.com",
      target: "prod #2",
    });
    // approving twice is a conflict that says why
    const twice = await call(approvePost, `${base}/builds/2/approve`, buildParams(2), { cookie: bob, method: "POST" });
    expect(twice.status).toBe(409);
    expect(twice.body.error!.message).toBe("Build #2 is success, not waiting for approval: there is nothing to approve.");
  });

  it("the queue waits behind a build awaiting approval; a rollback goes ahead; a rejection lets the queue move on", async () => {
    const first = await call(deployPost, `${base}/builds`, params, { cookie: ada, body: deployBody(3) });
    expect(first.body.build).toMatchObject({ number: 3, status: "awaiting_approval" });
    const second = await call(deployPost, `${base}/builds`, params, { cookie: ada, body: deployBody(4) });
    expect(second.body.build).toMatchObject({ number: 4, status: "awaiting_approval" });
    // bob approves #4: it may run, but only after #3 is decided
    const approved = await call(approvePost, `${base}/builds/4/approve`, buildParams(4), { cookie: bob, method: "POST" });
    expect(approved.body.build).toMatchObject({ status: "queued", approvedBy: "user:bob@example.com" });
    expect(await jobOf(APP, 4)).toBe(false);
    const view = await call(buildGet, `${base}/builds/4`, buildParams(4), { cookie: ada });
    expect(view.body.build).toMatchObject({ status: "queued", heldBehind: 3 });

    // a rollback is the emergency exit: no approval, no waiting
    const rb = await call(rollbackPost, `${base}/builds/1/rollback`, buildParams(1), { cookie: ada, method: "POST" });
    expect(rb.status).toBe(201);
    expect(rb.body.build).toMatchObject({ number: 5, kind: "rollback", status: "queued" });
    expect((await waitForBuild(APP, "prod", 5)).status).toBe("success");
    expect(await jobOf(APP, 4)).toBe(false);

    const rejected = await call(rejectPost, `${base}/builds/3/reject`, buildParams(3), { cookie: ada, method: "POST" });
    expect(rejected.status).toBe(200);
    expect(rejected.body.build).toMatchObject({ status: "rejected", skippedReason: "rejected by ada@example.com" });
    expect(rejected.body.build.steps.map((s: { status: string }) => s.status)).toEqual(["skipped"]);
    expect(await heard("build.rejected", 3)).toMatchObject({ build: { status: "rejected" } });
    // #4 now gets its turn: the rollback pinned the stage meanwhile, so it ends skipped, saying so
    const four = await waitForBuild(APP, "prod", 4);
    expect(four).toMatchObject({ status: "skipped", skippedReason: "stage pinned to #1" });
    expect(await db.auditEvent.findFirst({ where: { action: "reject" } })).toMatchObject({
      actor: "user:ada@example.com",
      target: "prod #3",
    });
  });

  it("holds a promote into the stage for approval too; canceled, it ends and the targets hear of it", async () => {
    // the previous test's rollback pinned prod: ada unpins it first
    expect((await call(pinDelete, `${base}/pin`, params, { cookie: ada, method: "DELETE" })).body.unpinned).toBe(true);
    const devOne = { app: APP, stage: "dev", number: "1" };
    const promoted = await call(promotePost, `/api/apps/${APP}/stages/dev/builds/1/promote`, devOne, { cookie: ada, body: {} });
    expect(promoted.status).toBe(201);
    const n = promoted.body.build.number as number;
    expect(promoted.body.build).toMatchObject({ kind: "promote", status: "awaiting_approval", promotedFrom: { stage: "dev", number: 1 } });
    expect(await jobOf(APP, n)).toBe(false);
    expect(promoted.body.build.steps.map((s: { status: string }) => s.status)).toEqual(["pending"]);
    await heard("build.awaiting_approval", n);

    const canceled = await call(cancelPost, `${base}/builds/${n}/cancel`, buildParams(n), { cookie: ada, method: "POST" });
    expect(canceled.status).toBe(200);
    expect(canceled.body.build).toMatchObject({ status: "canceled", approvedBy: null });
    expect(await heard("build.canceled", n)).toMatchObject({ build: { status: "canceled" } });
    // none of its steps ran
    expect((await waitForBuild(APP, "prod", n)).steps.map((s) => s.status)).toEqual(["canceled"]);
  });
});
