import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deliver, githubPush } from "./webhook-payloads.fixtures";
import {
  deliveryKey,
  GITHUB_HEADERS,
  GITLAB_HEADERS,
  generateWebhookSecret,
  signGithubBody,
  verifyGithubSignature,
  verifyGitlabToken,
} from "./webhooks";

describe("GitHub signature", () => {
  const secret = "It's a Secret to Everybody";

  it("matches GitHub's published test vector", () => {
    expect(signGithubBody(secret, "Hello, World!")).toBe("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    expect(
      verifyGithubSignature({
        secret,
        body: "Hello, World!",
        signature: "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
      }),
    ).toEqual({
      ok: true,
    });
  });

  it("is the HMAC of the raw bytes, so a re-serialized body does not verify", () => {
    const raw = new TextEncoder().encode('{ "ref": "refs/heads/main",\n  "after": "é" }');
    const signature = `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`;
    expect(verifyGithubSignature({ secret, body: raw, signature })).toEqual({ ok: true });
    expect(verifyGithubSignature({ secret, body: JSON.stringify(JSON.parse(new TextDecoder().decode(raw))), signature }).ok).toBe(false);
  });

  it("takes an uppercase hex digest", () => {
    const { raw, headers } = deliver(githubPush(), secret);
    const hex = headers[GITHUB_HEADERS.signature]!.slice("sha256=".length);
    expect(verifyGithubSignature({ secret, body: raw, signature: `sha256=${hex.toUpperCase()}` })).toEqual({ ok: true });
  });

  const { raw, headers } = deliver(githubPush(), secret);
  const good = headers[GITHUB_HEADERS.signature]!;
  it.each([
    ["no header", undefined, "the X-Hub-Signature-256 header is missing: set the webhook's secret on GitHub to the app's webhook secret"],
    ["an empty header", "  ", "the X-Hub-Signature-256 header is missing: set the webhook's secret on GitHub to the app's webhook secret"],
    ["the old sha1 header", `sha1=${"a".repeat(40)}`, "the X-Hub-Signature-256 header must be sha256=<64 hex digits>"],
    ["a short digest", good.slice(0, -2), "the X-Hub-Signature-256 header must be sha256=<64 hex digits>"],
    [
      "another digest",
      `sha256=${"0".repeat(64)}`,
      "the X-Hub-Signature-256 header does not match the body: the webhook's secret on GitHub differs from the app's, or the body was altered",
    ],
  ])("refuses %s", (_t, signature, reason) => {
    expect(verifyGithubSignature({ secret, body: raw, signature })).toEqual({ ok: false, reason });
  });

  it("refuses a body changed by one byte, and another secret", () => {
    const changed = new Uint8Array(raw);
    changed[10] = changed[10]! ^ 1;
    expect(verifyGithubSignature({ secret, body: changed, signature: good }).ok).toBe(false);
    expect(verifyGithubSignature({ secret: "other", body: raw, signature: good }).ok).toBe(false);
  });

  it("refuses everything when the app has no secret", () => {
    expect(verifyGithubSignature({ secret: "", body: "", signature: signGithubBody("", "") })).toEqual({
      ok: false,
      reason: "the app has no webhook secret: connect the repository again to make one",
    });
  });
});

describe("GitLab token", () => {
  it.each([
    ["the secret", "s3cret-token", { ok: true }],
    [
      "no header",
      null,
      { ok: false, reason: "the X-Gitlab-Token header is missing: set the webhook's secret token on GitLab to the app's webhook secret" },
    ],
    [
      "another token",
      "s3cret-tokem",
      {
        ok: false,
        reason: "the X-Gitlab-Token header does not match the app's webhook secret: update the webhook's secret token on GitLab",
      },
    ],
    [
      "a prefix of the secret",
      "s3cret",
      {
        ok: false,
        reason: "the X-Gitlab-Token header does not match the app's webhook secret: update the webhook's secret token on GitLab",
      },
    ],
  ])("%s", (_t, token, expected) => {
    expect(verifyGitlabToken({ secret: "s3cret-token", token })).toEqual(expected);
  });

  it("refuses everything when the app has no secret", () => {
    expect(verifyGitlabToken({ secret: "", token: "" })).toEqual({
      ok: false,
      reason: "the app has no webhook secret: connect the repository again to make one",
    });
  });

  it("names the headers as Node gives them", () => {
    expect(GITLAB_HEADERS).toEqual({
      event: "x-gitlab-event",
      idempotencyKey: "idempotency-key",
      delivery: "x-gitlab-event-uuid",
      token: "x-gitlab-token",
    });
  });
});

describe("deliveryKey", () => {
  const headers = (h: Record<string, string>) => (name: string) => new Headers(h).get(name);
  it.each([
    ["GitHub's delivery id", "github", { "X-GitHub-Delivery": "72d3162e" }, "72d3162e"],
    ["GitHub without one", "github", { "Idempotency-Key": "k-1" }, null],
    [
      "GitLab's Idempotency-Key, the same on its retries, over the event's UUID",
      "gitlab",
      { "Idempotency-Key": "k-1", "X-Gitlab-Event-UUID": "e-2" },
      "k-1",
    ],
    ["an older GitLab's X-Gitlab-Event-UUID", "gitlab", { "X-Gitlab-Event-UUID": "e-2" }, "e-2"],
    ["a blank Idempotency-Key", "gitlab", { "Idempotency-Key": " ", "X-Gitlab-Event-UUID": "e-2" }, "e-2"],
    ["GitLab with neither", "gitlab", {}, null],
  ] as const)("%s", (_t, provider, h, expected) => {
    expect(deliveryKey(provider, headers(h))).toBe(expected);
  });

  it("keeps 200 characters of a long key", () => {
    expect(deliveryKey("gitlab", headers({ "Idempotency-Key": "k".repeat(300) }))).toBe("k".repeat(200));
  });
});

describe("generateWebhookSecret", () => {
  it("makes distinct 43-character base64url secrets", () => {
    const secrets = new Set(Array.from({ length: 50 }, generateWebhookSecret));
    expect(secrets.size).toBe(50);
    for (const s of secrets) expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
