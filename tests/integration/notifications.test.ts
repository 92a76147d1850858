// Notifications against real HTTP servers on 127.0.0.1: a signed webhook that fails twice and is
// retried to success, Slack's message, the failures filter, the URL rules, targets that never
// answer while builds run on time, build.started written with the claim, and a delivery that runs
// out of attempts after waits that double.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { signBody } from "@/lib/core/notifications/events";
import { createNotification, deleteNotification, testNotification } from "@/lib/server/operations/notifications";
import { listDeliveries, listNotifications } from "@/lib/server/data/notifications";
import { ZNotificationCreate } from "@/lib/core/validation";
import { setVariable } from "@/lib/server/operations/stage-variables";
import { service, waitFor } from "../support/fixtures";
import { createStage, deployAndWait, withWorker } from "../support/engine";
import { appRef, TEST_ACTOR } from "../support/context";
import { startReceiver, type TReceiver } from "../support/receiver";

/** Makes the jobs with these keys runnable now (graphile-worker's public reschedule_jobs). */
async function runNow(keys: string[]): Promise<void> {
  await db.$queryRaw`SELECT graphile_worker.reschedule_jobs(ARRAY(SELECT id FROM graphile_worker.jobs WHERE key = ANY(${keys}::text[])), run_at := now())`;
}

// retries 50 ms apart (doubling) and a 1 s limit per attempt, instead of 15 s and 10 s
process.env.SPROUT_NOTIFY_BACKOFF_MS = "50";
process.env.SPROUT_NOTIFY_TIMEOUT_MS = "1000";
process.env.SPROUT_URL = "https://sprout.example.com";

const BUILD_SLOTS = 4;
withWorker({ concurrency: BUILD_SLOTS });

const receivers: TReceiver[] = [];
async function receiver(answer?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

const add = async (app: string, input: unknown, stage = "prod") =>
  createNotification({ app: await appRef(app), stage, input: ZNotificationCreate.parse(input), actor: TEST_ACTOR });

const deliveries = async (app: string, id: number) =>
  (await listDeliveries({ app: await appRef(app), stage: "prod", id: String(id) })).deliveries;

describe("webhook notifications", () => {
  beforeAll(async () => {
    await createStage("hooks");
  });

  it("signs each delivery; a target failing twice gets it on the third attempt, and the log records it", async () => {
    // the first two requests carrying build.queued fail; every other one succeeds
    let queuedSeen = 0;
    const hook = await receiver((_n, req) => (req.body.includes('"event":"build.queued"') && queuedSeen++ < 2 ? 500 : 200));
    const { notification, secret } = await add("hooks", { kind: "webhook", url: `${hook.url}/sprout?token=abc` });
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(notification).toMatchObject({ kind: "webhook", label: `${hook.url}/sprout?…`, events: "all" });
    // the URL and the secret are sealed at rest
    const row = await db.notificationTarget.findUniqueOrThrow({ where: { id: notification.id } });
    expect(`${row.url} ${row.secret}`).not.toContain(secret!);
    expect(row.url).not.toContain("token=abc");

    const build = await deployAndWait("hooks", "prod", [{ name: "api", template: service({ seconds: 0.05 }) }], "ship it");
    expect(build.status).toBe("success");
    const log = await waitFor("the three events delivered", async () => {
      const d = await deliveries("hooks", notification.id);
      return d.length === 3 && d.every((x) => x.status === "delivered") ? d : null;
    });
    expect(log.map((d) => d.event).reverse()).toEqual(["build.queued", "build.started", "build.succeeded"]);
    const queued = log.at(-1)!;
    expect(queued).toMatchObject({ attempts: 3, responseCode: 200, lastError: "HTTP 500: nope 500" });
    expect(log.slice(0, 2).every((d) => d.attempts === 1)).toBe(true);

    // 5 requests: queued failed twice, then succeeded; started and succeeded once each
    expect(hook.received).toHaveLength(5);
    for (const r of hook.received) {
      expect(r.path).toBe("/sprout?token=abc");
      expect(r.headers["x-sprout-signature"]).toBe(signBody(secret!, r.body));
      expect(r.headers["content-type"]).toBe("application/json");
    }
    const bodies = hook.received.map((r) => JSON.parse(r.body) as Record<string, any>);
    const queuedBodies = bodies.filter((b) => b.event === "build.queued");
    expect(queuedBodies).toHaveLength(3);
    expect(queuedBodies[0]).toEqual(queuedBodies[2]); // a retry sends the same payload
    const done = bodies.find((b) => b.event === "build.succeeded")!;
    expect(done).toMatchObject({
      app: "hooks",
      stage: "prod",
      build: {
        number: build.number,
        kind: "deploy",
        status: "success",
        rollbackOf: null,
        commit: { message: "ship it", branch: "master" },
        url: `https://sprout.example.com/apps/hooks/stages/prod/builds/${build.number}`,
      },
    });
    expect(Date.parse(done.at)).toBeGreaterThan(0);
    // a wrong secret does not verify
    expect(signBody("not-the-secret", hook.received[0]!.body)).not.toBe(hook.received[0]!.headers["x-sprout-signature"]);
  });

  it("gives up after five attempts and says why", async () => {
    const down = await receiver(() => 503);
    const { notification } = await add("hooks", { kind: "webhook", url: `${down.url}/down` });
    await testNotification({ app: await appRef("hooks"), stage: "prod", id: String(notification.id), actor: TEST_ACTOR });
    const [d] = await waitFor("the delivery to fail for good", async () => {
      const list = await deliveries("hooks", notification.id);
      return list[0]?.status === "failed" ? list : null;
    });
    expect(d).toMatchObject({ event: "test", attempts: 5, responseCode: 503, lastError: "HTTP 503: nope 503" });
    expect(down.received).toHaveLength(5);
    // the settings page sees the last delivery at a glance
    const { notifications } = await listNotifications({ app: await appRef("hooks"), stage: "prod" });
    expect(notifications.find((n) => n.id === notification.id)!.lastDelivery).toMatchObject({ status: "failed", event: "test" });
    await deleteNotification({ app: await appRef("hooks"), stage: "prod", id: String(notification.id), actor: TEST_ACTOR });
  });

  it("waits longer after each failed attempt: the backoff, then twice, four and eight times it", async () => {
    // a minute's backoff, so that each next attempt waits in the queue to be read; the test runs it at once
    process.env.SPROUT_NOTIFY_BACKOFF_MS = "60000";
    const down = await receiver(() => 503);
    try {
      const { notification } = await add("hooks", { kind: "webhook", url: `${down.url}/backoff` });
      const { delivery } = await testNotification({
        app: await appRef("hooks"),
        stage: "prod",
        id: String(notification.id),
        actor: TEST_ACTOR,
      });
      const waits: number[] = [];
      for (let attempt = 1; attempt < 5; attempt++) {
        const key = `notify-${delivery.id}-${attempt + 1}`;
        const job = await waitFor(`attempt ${attempt} to fail and schedule the next`, () =>
          db.$queryRaw<{ run_at: Date }[]>`SELECT run_at FROM graphile_worker.jobs WHERE key = ${key}`.then((rows) => rows[0]),
        );
        const failed = await db.notificationDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
        expect(failed).toMatchObject({ status: "pending", attempts: attempt, lastError: "HTTP 503: nope 503" });
        waits.push(Math.round((job.run_at.getTime() - failed.updatedAt.getTime()) / 1000));
        await runNow([key]);
      }
      expect(waits).toEqual([60, 120, 240, 480]);
      await waitFor("the fifth attempt to fail for good", async () =>
        (await db.notificationDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).status === "failed" ? true : null,
      );
      expect(down.received).toHaveLength(5);
      await deleteNotification({ app: await appRef("hooks"), stage: "prod", id: String(notification.id), actor: TEST_ACTOR });
    } finally {
      process.env.SPROUT_NOTIFY_BACKOFF_MS = "50";
    }
  });

  it("a target that never answers does not slow the build: it ends while the delivery still waits", async () => {
    const slow = await receiver(() => "hang");
    const { notification } = await add("hooks", { kind: "webhook", url: `${slow.url}/slow` });
    const started = Date.now();
    const build = await deployAndWait("hooks", "prod", [{ name: "api", template: service({ version: 3, seconds: 0.05 }) }], "slow target");
    expect(build.status).toBe("success");
    expect(Date.now() - started).toBeLessThan(5000);
    const [first] = (await deliveries("hooks", notification.id)).reverse();
    expect(first!.status).toBe("pending");
    const timedOut = await waitFor("a timed-out attempt to be recorded", async () => {
      const d = (await deliveries("hooks", notification.id)).find((x) => x.lastError);
      return d ?? null;
    });
    expect(timedOut.lastError).toBe("No answer within 1 s.");
    await deleteNotification({ app: await appRef("hooks"), stage: "prod", id: String(notification.id), actor: TEST_ACTOR });
  });
});

describe("targets that never answer", () => {
  it("more of them than the worker has build slots: a build still runs to success without waiting for any", async () => {
    // no attempt ends on its own during this test: one that ended would mean the build waited for it
    process.env.SPROUT_NOTIFY_TIMEOUT_MS = "120000";
    const dead = await receiver(() => "hang");
    const app = "dead-targets";
    try {
      await createStage(app);
      const targets = [];
      for (let i = 0; i < BUILD_SLOTS + 2; i++)
        targets.push((await add(app, { kind: "webhook", url: `${dead.url}/dead-${i}` })).notification);
      for (const t of targets) await testNotification({ app: await appRef(app), stage: "prod", id: String(t.id), actor: TEST_ACTOR });
      // as many attempts hang as the worker has build slots
      await waitFor("the dead targets to hold their attempts", async () => dead.received.length >= BUILD_SLOTS);

      const build = await deployAndWait(app, "prod", [{ name: "api", template: service({ seconds: 0.05 }) }], "past the dead targets");
      expect(build.status).toBe("success");
      const tests = await db.notificationDelivery.findMany({ where: { targetId: { in: targets.map((t) => t.id) }, event: "test" } });
      expect(tests.map((d) => [d.status, d.attempts])).toEqual(targets.map(() => ["pending", 0]));
      // the build's own events wait for those targets too, and take nothing from the build
      expect(await db.notificationDelivery.count({ where: { targetId: targets[0]!.id, event: "build.succeeded" } })).toBe(1);
    } finally {
      process.env.SPROUT_NOTIFY_TIMEOUT_MS = "1000";
      await db.notificationTarget.deleteMany({ where: { stage: { app: { name: app } } } });
      await dead.close();
    }
  });
});

describe("build.started", () => {
  it("is written with the claim: a claim whose delivery cannot be written is undone, and the next try starts the build with it", async () => {
    const app = "started-with-claim";
    await createStage(app);
    const hook = await receiver();
    const { notification } = await add(app, { kind: "webhook", url: `${hook.url}/started` });
    // the first build.started delivery fails to be written, as if the worker died right after the claim
    await db.$executeRawUnsafe(`CREATE SEQUENCE test_started_failures`);
    await db.$executeRawUnsafe(`CREATE FUNCTION test_fail_started() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.event = 'build.started' AND nextval('test_started_failures') = 1 THEN RAISE EXCEPTION 'lost after the claim'; END IF;
        RETURN NEW;
      END $$`);
    await db.$executeRawUnsafe(
      `CREATE TRIGGER test_fail_started BEFORE INSERT ON notification_deliveries FOR EACH ROW EXECUTE FUNCTION test_fail_started()`,
    );
    try {
      const build = await deployAndWait(app, "prod", [{ name: "api", template: service({ seconds: 0.05 }) }], "started once");
      expect(build.status).toBe("success");
      const events = (await deliveries(app, notification.id)).map((d) => d.event).reverse();
      expect(events).toEqual(["build.queued", "build.started", "build.succeeded"]);
      const [{ failures }] = await db.$queryRawUnsafe<{ failures: bigint }[]>(`SELECT last_value AS failures FROM test_started_failures`);
      expect(Number(failures)).toBeGreaterThan(1); // the failure happened, and the claim ran again
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER test_fail_started ON notification_deliveries`);
      await db.$executeRawUnsafe(`DROP FUNCTION test_fail_started`);
      await db.$executeRawUnsafe(`DROP SEQUENCE test_started_failures`);
    }
  });
});

describe("slack and the failures filter", () => {
  it("Slack gets a readable message with a link; a failures-only target hears of the failed build only", async () => {
    await createStage("slacky");
    const slack = await receiver();
    const failures = await receiver();
    await add("slacky", { kind: "slack", url: `${slack.url}/services/T0123/B0456/abcdefghijklmnopqrstuvwx` });
    const { notification } = await add("slacky", { kind: "webhook", url: `${failures.url}/fail`, events: "failures" });
    const ok = await deployAndWait("slacky", "prod", [{ name: "api", template: service({ seconds: 0.05 }) }], "fine");
    const bad = await deployAndWait(
      "slacky",
      "prod",
      [{ name: "api", template: service({ version: 2, fail: "Boom: token=s3cr3tvalue1" }) }],
      "broken",
    );
    expect([ok.status, bad.status]).toEqual(["success", "failed"]);
    await waitFor("Slack to get six messages", async () => slack.received.length >= 6);
    await waitFor("the failure to be delivered", async () => failures.received.length >= 1);
    const texts = slack.received.map((r) => (JSON.parse(r.body) as { text: string }).text);
    expect(texts).toContainEqual(
      `slacky/prod #${bad.number} failed: Deploy (queued by test)\nCommit ${bad.commitSha.slice(0, 7)}: broken (Jay &lt;jay@example.com&gt;)\nError: api failed: Boom: token=****\n<https://sprout.example.com/apps/slacky/stages/prod/builds/${bad.number}|Open build #${bad.number}>`,
    );
    expect(texts.join("\n")).not.toContain("s3cr3tvalue1");
    expect(failures.received.map((r) => JSON.parse(r.body).event)).toEqual(["build.failed"]);
    expect((await deliveries("slacky", notification.id)).map((d) => d.event)).toEqual(["build.failed"]);
  });
});

describe("a stage's secrets", () => {
  it("are masked in every notification, even inside a longer text, and in the stored delivery", async () => {
    await createStage("masked");
    const app = await appRef("masked");
    await setVariable({ app, stage: "prod", name: "BILLING_TOKEN", input: { value: "tok-9f8e7d6c5b", secret: true }, actor: TEST_ACTOR });
    const hook = await receiver();
    const { notification } = await add("masked", { kind: "webhook", url: `${hook.url}/hook`, events: "failures" });
    const bad = await deployAndWait(
      "masked",
      "prod",
      [{ name: "api", template: service({ fail: "charge refused for key tok-9f8e7d6c5b (expired)" }) }],
      "rotate tok-9f8e7d6c5b",
    );
    expect(bad.status).toBe("failed");
    await waitFor("the failure to be delivered", async () => hook.received.length >= 1);
    const body = JSON.parse(hook.received[0]!.body) as { build: { error: string; commit: { message: string } } };
    expect([body.build.error, body.build.commit.message]).toEqual(["api failed: charge refused for key **** (expired)", "rotate ****"]);
    const stored = await db.notificationDelivery.findMany({ where: { targetId: notification.id } });
    expect(JSON.stringify(stored)).not.toContain("tok-9f8e7d6c5b");
  });
});

describe("target URLs", () => {
  it("refuses the metadata service, private and public-http addresses, and names that resolve there", async () => {
    await createStage("ssrf");
    const refusals = [
      ["http://169.254.169.254/latest/meta-data", "url: 169.254.169.254 is a cloud metadata service address"],
      [
        "https://10.1.2.3/hook",
        "url: 10.1.2.3 is a private network address, which Sprout does not send notifications to (an instance admin may allow these with SPROUT_ALLOW_PRIVATE_TARGETS=1).",
      ],
      ["http://93.184.216.34/hook", "url: http is only for a receiver on this machine (loopback); use https for 93.184.216.34."],
      ["file:///etc/passwd", "url: must be an http(s) URL (got file)."],
      ["http://nothing.invalid/hook", "url: nothing.invalid does not resolve"],
    ];
    for (const [url, why] of refusals) await expect(add("ssrf", { kind: "webhook", url }), url).rejects.toThrow(why);
    expect(await db.notificationTarget.count({ where: { stage: { app: { name: "ssrf" } } } })).toBe(0);
    // localhost resolves to loopback: allowed for a receiver on this machine
    await expect(add("ssrf", { kind: "slack", url: "http://localhost:9/hook" })).resolves.toMatchObject({ secret: null });
  });
});
