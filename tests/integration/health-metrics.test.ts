// What operators read: GET /api/health (no credentials; 503 naming the part that failed), GET
// /api/metrics (Prometheus text for an instance admin or SPROUT_METRICS_TOKEN's bearer), the
// instance's builds-per-app setting, and Server-Timing on the API's answers.
import { execFile } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { enqueue, runBuildJob } from "@/lib/server/jobs";
import { ensureBootstrapToken } from "@/lib/server/auth/tokens";
import { createToken } from "@/lib/server/operations/tokens";
import { GET as healthGet } from "@/app/api/health/route";
import { GET as metricsGet } from "@/app/api/metrics/route";
import { GET as settingsGet, PATCH as settingsPatch } from "@/app/api/settings/route";
import { GET as eventsGet } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/events/route";
import { GET as buildsGet } from "@/app/api/apps/[app]/stages/[stage]/builds/route";
import { startWorker, type TWorker } from "@/lib/worker/start-worker";
import { BUILDS_PER_APP_KEY } from "@/lib/server/data/instance-settings";
import type { THealth } from "@/lib/server/data/health";
import { service, waitFor } from "../support/fixtures";
import { exited, spawnWorker } from "../support/worker-process";
import { startReceiver } from "../support/receiver";
import { openStream } from "../support/sse";
import { createNotification, testNotification } from "@/lib/server/operations/notifications";
import { ZNotificationCreate } from "@/lib/core/validation";
import { createStage, deployAndWait } from "../support/engine";
import { appRef, TEST_ACTOR } from "../support/context";
import { call, signIn, userWithRole } from "../support/auth";

const run = promisify(execFile);
const ADMIN = "bootstrap-token-for-the-health-metrics-test-01";
const SCRAPER = "scraper-secret-for-the-metrics-test-0123456789";
let worker: TWorker | null = null;
afterAll(async () => {
  await worker?.stop();
});

const get = async (handler: (req: Request) => Promise<Response>, headers: Record<string, string> = {}) => {
  const res = await handler(new Request("http://localhost/api/x", { headers }));
  return { status: res.status, text: await res.text(), headers: res.headers };
};
const line = (text: string, prefix: string) => text.split("\n").find((l) => l.startsWith(prefix + " "));

describe("GET /api/health", () => {
  it("is 503 naming the workers while none runs, 200 once one beats, 503 again once it stopped; it tells no secret", async () => {
    const before = await get(healthGet);
    expect(before.status).toBe(503);
    const body = JSON.parse(before.text);
    expect(body).toMatchObject({ ok: false, database: { ok: true }, workers: { ok: false, live: 0 } });
    expect(body.workers.error).toBe("No worker has ever reported: start one with `npm run worker`.");
    expect(before.text).not.toContain(process.env.DATABASE_URL!.split("@")[1]!);

    worker = await startWorker({ quiet: true, leaseMs: 3000 });
    const up = await get(healthGet);
    expect([up.status, JSON.parse(up.text).workers.live]).toEqual([200, 1]);

    await worker.stop();
    worker = null;
    const after = await get(healthGet);
    expect(after.status).toBe(503);
    expect(JSON.parse(after.text).workers.error).toMatch(
      /^No live worker: the last one beat or stopped [\d.]+ s ago \(a worker counts until it misses 3 heartbeats\)\.$/,
    );
  });
});

/** GET /api/health of a web process whose DATABASE_URL is `url` */
async function probeHealth(url: string): Promise<{ status: number; body: THealth; text: string }> {
  const { stdout } = await run(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/support/health-probe.ts"], {
    env: { ...process.env, DATABASE_URL: url },
  });
  return { ...JSON.parse(stdout), text: stdout };
}

/** a port nothing listens on: taken, then given back */
async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("GET /api/health when a part is down", () => {
  const secret = "pa55word-of-the-health-test";

  it("is 503 naming the database when nothing listens at DATABASE_URL, and tells neither host nor password", async () => {
    const port = await closedPort();
    const down = await probeHealth(`postgresql://sprout:${secret}@127.0.0.1:${port}/sprout`);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      ok: false,
      database: { ok: false, ms: null, error: "The database cannot be reached." },
      workers: { ok: false, live: 0, error: "Unknown: the database cannot be read." },
    });
    expect(down.text).not.toContain(secret);
    expect(down.text).not.toContain(String(port));
  });

  it("is 503 naming the database when it accepts the connection but never answers", async () => {
    const silent = net.createServer(() => {}).listen(0, "127.0.0.1");
    await once(silent, "listening");
    try {
      const { port } = silent.address() as net.AddressInfo;
      const down = await probeHealth(`postgresql://sprout:${secret}@127.0.0.1:${port}/sprout`);
      expect([down.status, down.body.ok, down.body.database]).toEqual([
        503,
        false,
        { ok: false, ms: null, error: "The database did not answer within 2 s." },
      ]);
      expect(down.text).not.toContain(secret);
    } finally {
      silent.close();
    }
  });

  it("is 503 naming the workers once the only one is killed and its heartbeat goes stale", async () => {
    const proc = await spawnWorker({ SPROUT_HEARTBEAT_MS: "300" });
    try {
      expect([(await get(healthGet)).status, JSON.parse((await get(healthGet)).text).workers.live]).toEqual([200, 1]);
    } finally {
      proc.kill("SIGKILL");
      await exited(proc);
    }
    // it never said it stopped: only its heartbeat's age tells (3 missed beats, about 0.9 s)
    const stale = await waitFor("the health to see no live worker", async () => {
      const h = await get(healthGet);
      return h.status === 503 ? (JSON.parse(h.text) as THealth) : null;
    });
    expect(stale).toMatchObject({ ok: false, database: { ok: true }, workers: { ok: false, live: 0 } });
    expect(stale.workers.error).toMatch(
      /^No live worker: the last one beat or stopped [\d.]+ s ago \(a worker counts until it misses 3 heartbeats\)\.$/,
    );
    expect(stale.workers.newestHeartbeatSecondsAgo).toBeGreaterThanOrEqual(0.9);
  });
});

describe("GET /api/metrics", () => {
  it("answers only an instance admin or the metrics token, in Prometheus' text format, from the database's own counts", async () => {
    await ensureBootstrapToken(ADMIN);
    process.env.SPROUT_METRICS_TOKEN = SCRAPER;
    await createStage("metrics-app");
    const appToken = await createToken({ app: await appRef("metrics-app"), input: { name: "ci", role: "admin" }, actor: TEST_ACTOR });
    const anonymous = await get(metricsGet);
    expect(anonymous.status).toBe(401);
    const refused = await get(metricsGet, { authorization: `Bearer ${appToken.value}` });
    // a refusal carries no metric
    for (const r of [anonymous, refused]) expect(r.text).not.toMatch(/sprout_|# (TYPE|HELP)/);
    expect([refused.status, JSON.parse(refused.text).error.message]).toEqual([
      403,
      "Reading the metrics needs an instance admin or the token in SPROUT_METRICS_TOKEN.",
    ]);
    expect((await get(metricsGet, { authorization: `Bearer ${SCRAPER}x` })).status).toBe(401);

    worker = await startWorker({ quiet: true, leaseMs: 3000 });
    const done = await deployAndWait("metrics-app", "prod", [{ name: "api", template: service({ seconds: 0.2 }) }]);
    expect(done.status).toBe("success");
    await worker.stop();
    worker = null;
    // a build that waits: no worker runs now
    const waiting = await db.build.create({
      data: {
        stageId: done.stageId,
        number: 99,
        kind: "deploy",
        commitSha: "abc",
        commitMessage: "waits",
        triggeredBy: "test",
        target: {},
      },
    });
    await enqueue(db, runBuildJob(waiting));

    const scraped = await get(metricsGet, { authorization: `Bearer ${SCRAPER}` });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = scraped.text;
    expect(line(text, 'sprout_builds{status="success"}')).toBe('sprout_builds{status="success"} 1');
    expect(line(text, 'sprout_builds{status="queued"}')).toBe('sprout_builds{status="queued"} 1');
    expect(line(text, 'sprout_queue_depth{app="metrics-app",stage="prod"}')).toBe('sprout_queue_depth{app="metrics-app",stage="prod"} 1');
    expect(line(text, 'sprout_step_duration_seconds_bucket{driver="sandbox",action="create",le="1"}')).toMatch(/ 1$/);
    expect(line(text, 'sprout_step_duration_seconds_count{driver="sandbox",action="create"}')).toMatch(/ 1$/);
    expect(text).toContain("# TYPE sprout_step_duration_seconds histogram");
    expect(text).toMatch(/^sprout_jobs\{task="run_build",state="waiting"\} 1$/m);
    expect(text).toContain("# TYPE sprout_sse_clients gauge");
    expect(text).toContain("# TYPE sprout_listen_reconnects_total counter");
    expect(text).toContain("# TYPE sprout_job_failures_total counter");
    // the same again: folding the counters changed no figure
    expect((await get(metricsGet, { authorization: `Bearer ${ADMIN}` })).text).toBe(text);
  });
});

describe("GET /api/metrics, values that move", () => {
  const scrape = async () => {
    const res = await get(metricsGet, { authorization: `Bearer ${ADMIN}` });
    expect(res.status).toBe(200);
    return res.text;
  };
  const deliveries = (text: string) => text.split("\n").filter((l) => l.startsWith("sprout_notification_deliveries{"));

  it("counts notification deliveries by status: pending until the worker sends them, then delivered or failed", async () => {
    await ensureBootstrapToken(ADMIN);
    await createStage("deliveries-app");
    const app = await appRef("deliveries-app");
    const ok = await startReceiver(() => 200);
    const broken = await startReceiver(() => 500);
    try {
      const ids = [];
      for (const url of [ok.url, broken.url]) {
        const input = ZNotificationCreate.parse({ kind: "webhook", url });
        const { notification } = await createNotification({ app, stage: "prod", input, actor: TEST_ACTOR });
        await testNotification({ app, stage: "prod", id: String(notification.id), actor: TEST_ACTOR });
        ids.push(notification.id);
      }
      expect(deliveries(await scrape())).toEqual(['sprout_notification_deliveries{status="pending"} 2']);

      // retries 50 ms apart instead of 15 s; the broken target runs out of its 5 attempts
      process.env.SPROUT_NOTIFY_BACKOFF_MS = "50";
      worker = await startWorker({ quiet: true, leaseMs: 3000 });
      await waitFor("both deliveries to end", async () => (await db.notificationDelivery.count({ where: { status: "pending" } })) === 0);
      await worker.stop();
      worker = null;
      expect([ok.received.length, broken.received.length]).toEqual([1, 5]);
      expect(deliveries(await scrape())).toEqual([
        'sprout_notification_deliveries{status="delivered"} 1',
        'sprout_notification_deliveries{status="failed"} 1',
      ]);
    } finally {
      delete process.env.SPROUT_NOTIFY_BACKOFF_MS;
      await Promise.all([ok.close(), broken.close()]);
    }
  });

  it("counts this process's open event streams: up as each opens, down as each closes", async () => {
    await ensureBootstrapToken(ADMIN);
    await createStage("streams-app");
    const stage = await db.stage.findFirstOrThrow({ where: { name: "prod", app: { name: "streams-app" } } });
    await db.build.create({
      data: { stageId: stage.id, number: 1, kind: "deploy", commitSha: "abc", commitMessage: "watched", triggeredBy: "test", target: {} },
    });
    const clients = async () => line(await scrape(), "sprout_sse_clients");
    expect(await clients()).toBe("sprout_sse_clients 0");
    const url = "/api/apps/streams-app/stages/prod/builds/1/events";
    const params = { app: "streams-app", stage: "prod", number: "1" };
    const open = async () => {
      const stream = await openStream(eventsGet, url, params, { authorization: `Bearer ${ADMIN}` });
      expect(stream.res.status).toBe(200);
      await waitFor("the build's snapshot", async () => stream.events.some((e) => e.event === "build"));
      return stream;
    };
    const first = await open();
    expect(await clients()).toBe("sprout_sse_clients 1");
    const second = await open();
    expect(await clients()).toBe("sprout_sse_clients 2");
    first.close();
    await first.done;
    expect(await clients()).toBe("sprout_sse_clients 1");
    second.close();
    await second.done;
    expect(await clients()).toBe("sprout_sse_clients 0");
  });
});

describe("the instance's builds per app, and Server-Timing", () => {
  it("an instance admin sets the cap (audited), others are refused; a bad value is named", async () => {
    await ensureBootstrapToken(ADMIN);
    await createStage("settings-app");
    const appAdmin = await createToken({ app: await appRef("settings-app"), input: { name: "ci", role: "admin" }, actor: TEST_ACTOR });
    await userWithRole("owner@settings.test", "settings-app", "admin");
    const { cookie } = await signIn("owner@settings.test");
    const others = [
      { who: "no credentials", init: {}, status: 401 },
      { who: "the metrics token", init: { token: SCRAPER }, status: 401 },
      { who: "an app's admin token", init: { token: appAdmin.value }, status: 403 },
      { who: "an app's admin, signed in", init: { cookie }, status: 403 },
    ];
    for (const { who, init, status } of others) {
      const patch = await call(settingsPatch, "/api/settings", {}, { ...init, method: "PATCH", body: { buildsPerApp: 9 } });
      const read = await call(settingsGet, "/api/settings", {}, init);
      expect([who, patch.status, read.status]).toEqual([who, status, status]);
      // a refusal tells nothing of the setting or the pool
      expect(JSON.stringify([patch.body, read.body])).not.toMatch(/buildsPerApp|poolSlots|workers/);
    }
    expect(await db.setting.count({ where: { key: BUILDS_PER_APP_KEY } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "instance.update" } })).toBe(0);

    const set = await call(settingsPatch, "/api/settings", {}, { method: "PATCH", token: ADMIN, body: { buildsPerApp: 3 } });
    expect([set.status, set.body.settings, set.body.effective.buildsPerApp]).toEqual([200, { buildsPerApp: 3 }, 3]);
    const bad = await call(settingsPatch, "/api/settings", {}, { method: "PATCH", token: ADMIN, body: { buildsPerApp: 0 } });
    expect([bad.status, bad.body.error?.message]).toEqual([400, "buildsPerApp: must be at least 1 (or null for half the pool)"]);
    const cleared = await call(settingsPatch, "/api/settings", {}, { method: "PATCH", token: ADMIN, body: { buildsPerApp: null } });
    expect(cleared.body.settings).toEqual({ buildsPerApp: null });
    expect((await call(settingsGet, "/api/settings", {}, { token: ADMIN })).body.effective.buildsPerApp).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "instance.update" } })).toBe(2);
  });

  it("the history answers with its database time and its total", async () => {
    const res = await buildsGet(
      new Request("http://localhost/api/apps/metrics-app/stages/prod/builds", { headers: { authorization: `Bearer ${ADMIN}` } }),
      {
        params: Promise.resolve({ app: "metrics-app", stage: "prod" }),
      } as never,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("server-timing")).toMatch(/^db;dur=[\d.]+;desc="database, \d+ queries", total;dur=[\d.]+$/);
  });
});
