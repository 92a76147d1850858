// Email notifications through a real SMTP server on 127.0.0.1 (smtp-server), as SPROUT_SMTP_URL names
// it: text and HTML, a temporary refusal retried, and a server too slow for the attempt's time limit.
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNotification, testNotification } from "@/lib/server/operations/notifications";
import { listDeliveries } from "@/lib/server/data/notifications";
import { ZNotificationCreate } from "@/lib/core/validation";
import { service, waitFor } from "../support/fixtures";
import { createStage, deployAndWait, withWorker } from "../support/engine";
import { appRef, TEST_ACTOR } from "../support/context";

process.env.SPROUT_NOTIFY_BACKOFF_MS = "50";
process.env.SPROUT_URL = "https://sprout.example.com";

type TMail = { from: string; to: string[]; raw: string };
const mails: TMail[] = [];
let smtp: SMTPServer;
let rejectNext = 0;
/** while set, each step of the exchange (greeting, MAIL FROM, RCPT TO, DATA) answers this many ms late */
let stallMs = 0;
const late = (callback: () => void) => (stallMs ? setTimeout(callback, stallMs) : callback());

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onConnect: (_session, callback) => late(() => callback()),
    onMailFrom: (_address, _session, callback) => late(() => callback()),
    onRcptTo: (_address, _session, callback) => late(() => callback()),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () =>
        late(() => {
          if (rejectNext > 0) {
            rejectNext--;
            const err = Object.assign(new Error("Mailbox busy, try later"), { responseCode: 451 });
            return callback(err);
          }
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString("utf8"),
          });
          callback();
        }),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  process.env.SPROUT_SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  process.env.SPROUT_SMTP_FROM = "Sprout <sprout@example.com>";
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});
withWorker();

describe("email notifications", () => {
  it("sends plain text and HTML through SPROUT_SMTP_URL, retrying a temporary refusal", async () => {
    await createStage("mailer");
    const { notification, secret } = await createNotification({
      app: await appRef("mailer"),
      stage: "prod",
      input: ZNotificationCreate.parse({ kind: "email", address: "oncall@example.com", events: "failures" }),
      actor: TEST_ACTOR,
    });
    expect(secret).toBeNull();
    expect(notification.label).toBe("oncall@example.com");
    rejectNext = 1;
    const bad = await deployAndWait(
      "mailer",
      "prod",
      [{ name: "api", template: service({ fail: "Rate exceeded <for> api" }) }],
      "Try & fail",
    );
    expect(bad.status).toBe("failed");
    const [d] = await waitFor("the email to be delivered", async () => {
      const list = (await listDeliveries({ app: await appRef("mailer"), stage: "prod", id: String(notification.id) })).deliveries;
      return list[0]?.status === "delivered" ? list : null;
    });
    expect(d).toMatchObject({ event: "build.failed", attempts: 2, responseCode: null });
    expect(d!.lastError).toMatch(/451 Mailbox busy, try later/);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.from).toBe("sprout@example.com");
    expect(mail!.to).toEqual(["oncall@example.com"]);
    const raw = mail!.raw.replace(/=\r?\n/g, ""); // quoted-printable soft line breaks
    expect(raw).toMatch(new RegExp(`^Subject: \\[Sprout\\] mailer/prod #${bad.number} failed: Deploy \\(queued by test\\)`, "m"));
    expect(raw).toContain("Content-Type: text/plain");
    expect(raw).toContain("Content-Type: text/html");
    expect(raw).toContain(`Open the build: https://sprout.example.com/apps/mailer/stages/prod/builds/${bad.number}`);
    expect(raw).toContain("Rate exceeded &lt;for&gt; api"); // escaped in the HTML part
  });

  it("ends an attempt at the time limit when the server answers each step in time but the whole takes longer", async () => {
    const limitMs = 2000;
    process.env.SPROUT_NOTIFY_TIMEOUT_MS = String(limitMs);
    // each of the four steps well within the limit, together twice it
    stallMs = limitMs / 2;
    try {
      const app = await appRef("mailer");
      const { notification } = await createNotification({
        app,
        stage: "prod",
        input: ZNotificationCreate.parse({ kind: "email", address: "slow@example.com" }),
        actor: TEST_ACTOR,
      });
      await testNotification({ app, stage: "prod", id: String(notification.id), actor: TEST_ACTOR });
      const deliveries = async () => (await listDeliveries({ app, stage: "prod", id: String(notification.id) })).deliveries;
      const [first] = await waitFor("the first attempt to end", async () => {
        const list = await deliveries();
        return list[0]?.attempts ? list : null;
      });
      expect(first).toMatchObject({ status: "pending", attempts: 1, lastError: `The mail server did not take the email within 2 s.` });
      // the server is quick again: the next attempt delivers it, once (the slow attempt left nothing behind)
      stallMs = 0;
      await waitFor("the email to be delivered", async () => ((await deliveries())[0]?.status === "delivered" ? true : null));
      expect(mails.filter((m) => m.to.includes("slow@example.com"))).toHaveLength(1);
    } finally {
      stallMs = 0;
      delete process.env.SPROUT_NOTIFY_TIMEOUT_MS;
    }
  });

  it("refuses an email target when no mail server is configured", async () => {
    const saved = process.env.SPROUT_SMTP_URL;
    delete process.env.SPROUT_SMTP_URL;
    try {
      await expect(
        createNotification({
          app: await appRef("mailer"),
          stage: "prod",
          input: ZNotificationCreate.parse({ kind: "email", address: "x@example.com" }),
          actor: TEST_ACTOR,
        }),
      ).rejects.toThrow("kind: email needs a mail server: set SPROUT_SMTP_URL");
    } finally {
      process.env.SPROUT_SMTP_URL = saved;
    }
  });
});
