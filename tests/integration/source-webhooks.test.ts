// The webhook routes' answers, as GitHub and GitLab would get them: GitLab's token, its retries
// (Idempotency-Key) and what it ignores; GitHub's 1 MB body cap. No worker runs: what counts here is
// what is queued.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { githubPush, gitlabPush, postGithub, postGitlab, sourceApp } from "../support/source";

const builds = (app: string) => db.build.count({ where: { stage: { app: { name: app } } } });
const deliveries = (app: string) => db.webhookDelivery.count({ where: { app: { name: app } } });

describe("GitLab webhooks", () => {
  it("refuses a delivery without X-Gitlab-Token, or with another one (401), and queues nothing", async () => {
    const app = await sourceApp("gl-token");
    expect(await postGitlab(app, gitlabPush(app.first), { token: null })).toEqual({
      status: 401,
      body: {
        error: {
          code: "unauthorized",
          message: "the X-Gitlab-Token header is missing: set the webhook's secret token on GitLab to the app's webhook secret",
        },
      },
    });
    expect(await postGitlab(app, gitlabPush(app.first), { token: "guess" })).toMatchObject({ status: 401 });
    expect([await builds(app.name), await deliveries(app.name)]).toEqual([0, 0]);
  });

  it("a retry carries the same Idempotency-Key and a new X-Gitlab-Event-UUID: it queues nothing new", async () => {
    const app = await sourceApp("gl-retry");
    const first = await postGitlab(app, gitlabPush(app.first), { idempotencyKey: "5f0c5b1e-retry", delivery: "event-1" });
    expect(first).toEqual({ status: 202, body: { builds: [{ stage: "dev", number: 1, status: "queued" }] } });
    const retry = await postGitlab(app, gitlabPush(app.first), { idempotencyKey: "5f0c5b1e-retry", delivery: "event-2" });
    expect(retry).toEqual({
      status: 200,
      body: {
        duplicate: "delivery 5f0c5b1e-retry was received before; nothing new was queued",
        outcome: { builds: [{ stage: "dev", number: 1, status: "queued" }] },
      },
    });
    expect(await builds(app.name)).toBe(1);
  });

  it("an older GitLab (no Idempotency-Key) is deduplicated on X-Gitlab-Event-UUID, and one sending neither is still served", async () => {
    const app = await sourceApp("gl-older");
    expect((await postGitlab(app, gitlabPush(app.first), { idempotencyKey: null, delivery: "event-1" })).status).toBe(202);
    expect((await postGitlab(app, gitlabPush(app.first), { idempotencyKey: null, delivery: "event-1" })).status).toBe(200);
    expect(await builds(app.name)).toBe(1);

    const second = await app.origin.commit({ "README.md": "second" }, "second");
    expect(await postGitlab(app, gitlabPush(second), { idempotencyKey: null, delivery: null })).toEqual({
      status: 202,
      body: { builds: [{ stage: "dev", number: 2, status: "queued" }] },
    });
    expect(await db.build.findFirst({ where: { number: 2, stage: { name: "dev", app: { name: app.name } } } })).toMatchObject({
      commitSha: second,
      trigger: "push",
    });
  });

  it("answers 202 with the reason when it ignores a branch or an event, and queues nothing", async () => {
    const app = await sourceApp("gl-ignored");
    expect(await postGitlab(app, gitlabPush(app.first, "feature"))).toEqual({
      status: 202,
      body: { ignored: "no stage of gl-ignored deploys branch feature on push" },
    });
    expect(await postGitlab(app, { object_kind: "issue" }, { event: "Issue Hook" })).toEqual({
      status: 202,
      body: { ignored: "event Issue Hook is not handled" },
    });
    expect(await postGitlab(app, { object_kind: "tag_push" }, { event: "Tag Push Hook" })).toEqual({
      status: 202,
      body: { ignored: "push to a tag" },
    });
    expect(await builds(app.name)).toBe(0);
  });
});

describe("GitHub webhooks", () => {
  it("take a signed body of 1 MB; one byte more answers 413 with the limit, before the signature is checked, and queues nothing", async () => {
    const app = await sourceApp("gh-cap");
    const padded = (bytes: number) => {
      const base = { ...githubPush(app.first), padding: "" };
      return { ...base, padding: "x".repeat(bytes - JSON.stringify(base).length) };
    };
    const over = await postGithub(app, padded(1024 * 1024 + 1));
    expect(over).toEqual({
      status: 413,
      body: { error: { code: "payload_too_large", message: "The request body is larger than 1 MB, the limit of this endpoint." } },
    });
    expect(await postGithub(app, padded(1024 * 1024 + 1), { signature: null })).toMatchObject({ status: 413 });
    expect([await builds(app.name), await deliveries(app.name)]).toEqual([0, 0]);

    expect(await postGithub(app, padded(1024 * 1024))).toEqual({
      status: 202,
      body: { builds: [{ stage: "dev", number: 1, status: "queued" }] },
    });
  });
});
