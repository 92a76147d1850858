import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { endEvent, notifyPayload, signBody, wants, type TNotifyPayload } from "./events";
import { emailMessage, headline, slackMessage } from "./messages";
import { checkTargetUrl, targetLabel } from "./target-url";

const build = (over: Partial<NonNullable<TNotifyPayload["build"]>> = {}): NonNullable<TNotifyPayload["build"]> => ({
  number: 14,
  kind: "rollback",
  status: "failed",
  rollbackOf: 12,
  commit: { sha: "0123456789abcdef0123456789abcdef01234567", message: "Add topic <b>&</b>", author: "Jay", branch: "main" },
  url: "http://sprout.test/apps/notes/stages/prod/builds/14",
  triggeredBy: "user:ada@example.com",
  promotedFrom: null,
  rollbackServices: null,
  error: null,
  ...over,
});
const payload = (over: Partial<TNotifyPayload> = {}): TNotifyPayload => ({
  event: "build.failed",
  app: "notes",
  stage: "prod",
  build: build(),
  at: "2026-12-03T10:00:00.000Z",
  ...over,
});

describe("notification events", () => {
  it.each([
    ["all", "build.started", true],
    ["all", "stage.pinned", true],
    ["failures", "build.failed", true],
    ["failures", "build.succeeded", false],
    ["failures", "build.canceled", false],
    ["failures", "stage.pinned", false],
    ["failures", "test", true],
  ] as const)("a target for %s events is told of %s: %s", (filter, event, expected) => {
    expect(wants(filter, event)).toBe(expected);
  });

  it("names the end of a build, and nothing for a skipped one", () => {
    expect(["success", "failed", "canceled", "rejected", "skipped"].map((s) => endEvent(s as never))).toEqual([
      "build.succeeded",
      "build.failed",
      "build.canceled",
      "build.rejected",
      null,
    ]);
  });

  it("signs the raw body with HMAC-SHA256, as a receiver recomputes it", () => {
    const body = JSON.stringify(payload());
    expect(signBody("s3cret", body)).toBe(`sha256=${createHmac("sha256", "s3cret").update(body).digest("hex")}`);
    expect(signBody("s3cret", body)).not.toBe(signBody("other", body));
  });

  it("masks credentials in commit messages, errors and a pin's reason", () => {
    const p = notifyPayload(
      payload({
        build: build({ commit: { ...build().commit, message: "rotate password=hunter2hunter2" }, error: "token: abcdefghijkl failed" }),
        pin: { build: 12, by: "user:ada@example.com", reason: "leaked AKIAABCDEFGHIJKLMNOP" },
      }),
    );
    expect(JSON.stringify(p)).not.toMatch(/hunter2|abcdefghijkl|AKIAABCDEFGHIJKLMNOP/);
    expect(p.build!.commit.message).toBe("rotate password=****");
  });
});

describe("notification messages", () => {
  it("says what happened to which build, and who queued it", () => {
    expect(headline(payload())).toBe("notes/prod #14 failed: Rollback to #12 (queued by ada@example.com)");
    expect(
      headline(
        payload({
          event: "build.succeeded",
          build: build({ kind: "promote", rollbackOf: null, promotedFrom: { stage: "dev", number: 7 } }),
        }),
      ),
    ).toBe("notes/prod #14 succeeded: Promote from dev #7 (queued by ada@example.com)");
    expect(headline(payload({ event: "build.awaiting_approval", build: build({ rollbackServices: ["billing-api", "notify-job"] }) }))).toBe(
      "notes/prod #14 is waiting for approval: Rollback of billing-api, notify-job to #12 (queued by ada@example.com)",
    );
    expect(headline(payload({ event: "stage.pinned", build: null, pin: { build: 12, by: "user:ada@example.com", reason: null } }))).toBe(
      "notes/prod is pinned to #12 after a rollback by ada@example.com: pushes no longer deploy until someone unpins it.",
    );
  });

  it("escapes Slack's and HTML's special characters and links the build", () => {
    const slack = slackMessage(payload());
    expect(slack.text).toContain("Add topic &lt;b&gt;&amp;&lt;/b&gt;");
    expect(slack.text).toContain("<http://sprout.test/apps/notes/stages/prod/builds/14|Open build #14>");
    const mail = emailMessage(payload());
    expect(mail.subject).toBe("[Sprout] notes/prod #14 failed: Rollback to #12 (queued by ada@example.com)");
    expect(mail.text).toContain("Commit 0123456: Add topic <b>&</b> (Jay)");
    expect(mail.html).toContain("Add topic &lt;b&gt;&amp;&lt;/b&gt;");
    expect(mail.html).toContain('<a href="http://sprout.test/apps/notes/stages/prod/builds/14">Open build #14</a>');
  });
});

describe("notification target URLs", () => {
  const strict = { allowPrivate: false };
  it.each([
    ["http://127.0.0.1:4000/hook", null],
    ["https://[::1]/hook", null],
    ["http://localhost:4000/hook", null], // a name: its addresses are checked when resolved
    ["https://hooks.slack.com/services/T0/B0/XYZ", null],
    ["http://93.184.216.34/hook", "http is only for a receiver on this machine (loopback); use https for 93.184.216.34"],
    [
      "https://10.0.0.5/hook",
      "10.0.0.5 is a private network address, which Sprout does not send notifications to (an instance admin may allow these with SPROUT_ALLOW_PRIVATE_TARGETS=1)",
    ],
    ["https://169.254.169.254/latest", "169.254.169.254 is a cloud metadata service address, which Sprout does not send notifications to"],
    ["http://2130706433/", 'writes the address 127.0.0.1 as "2130706433": write an IP address as four decimal numbers (127.0.0.1)'],
    ["ftp://example.com/x", "must be an http(s) URL (got ftp)"],
    ["https://exa mple.com", "must not contain spaces or control characters"],
  ])("%s: %s", (raw, why) => {
    const r = checkTargetUrl(raw, strict);
    expect(r.ok ? null : r.reason).toBe(why);
  });

  it("lets an instance allow private addresses, never the metadata service", () => {
    expect(checkTargetUrl("https://10.0.0.5/hook", { allowPrivate: true }).ok).toBe(true);
    expect(checkTargetUrl("http://169.254.169.254/", { allowPrivate: true }).ok).toBe(false);
  });

  it("shows a URL without its tokens", () => {
    expect(targetLabel(new URL("https://hooks.slack.com/services/T0123456/B0456789/abcdefghijklmnopqrstuvwx"))).toBe(
      "https://hooks.slack.com/services/T0123456/B0456789/****",
    );
    expect(targetLabel(new URL("https://user:pw@example.com/hook?token=abc"))).toBe("https://example.com/hook?…");
  });
});
