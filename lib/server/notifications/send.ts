import "server-only";
import http from "node:http";
import https from "node:https";
import nodemailer from "nodemailer";
import { checkTargetUrl } from "@/lib/core/notifications/target-url";
import { targetLookup, targetPolicy } from "./target-check";

// The two ways a notification leaves Sprout: an HTTP POST (webhooks and Slack), never following a
// redirect and connecting only where the target rules allow, or an email through SPROUT_SMTP_URL.
// Each attempt, from connecting to the last answer, has a time limit (SPROUT_NOTIFY_TIMEOUT_MS, default 10 s).

export class SendError extends Error {
  constructor(
    message: string,
    readonly responseCode: number | null = null,
  ) {
    super(message);
    this.name = "SendError";
  }
}

export const sendTimeoutMs = () => Number(process.env.SPROUT_NOTIFY_TIMEOUT_MS ?? 10_000);

/** POSTs `body`; resolves with the HTTP status of a 2xx answer, else throws a SendError saying what happened. */
export function postJson(rawUrl: string, body: string, headers: Record<string, string>): Promise<number> {
  // the rules may have changed since the target was added (SPROUT_ALLOW_PRIVATE_TARGETS)
  const checked = checkTargetUrl(rawUrl, targetPolicy());
  if (!checked.ok) return Promise.reject(new SendError(`Sprout no longer sends to this URL: it ${checked.reason}.`));
  const { url, scheme } = checked;
  const timeoutMs = sendTimeoutMs();
  return new Promise((resolve, reject) => {
    const req = (scheme === "https" ? https : http).request(
      url,
      {
        method: "POST",
        lookup: targetLookup(scheme),
        signal: AbortSignal.timeout(timeoutMs),
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "user-agent": "Sprout", ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          if (size < 2048) chunks.push(c);
          size += c.length;
        });
        res.on("error", (e) => reject(new SendError(`The answer broke off: ${e.message}`, res.statusCode ?? null)));
        res.on("end", () => {
          const code = res.statusCode ?? 0;
          if (code >= 200 && code < 300) return resolve(code);
          const text = Buffer.concat(chunks).toString("utf8").slice(0, 200).replace(/\s+/g, " ").trim();
          const where =
            code >= 300 && code < 400 ? ` (a redirect to ${res.headers.location ?? "elsewhere"}; Sprout does not follow redirects)` : "";
          reject(new SendError(`HTTP ${code}${where}${text ? `: ${text}` : ""}`, code));
        });
      },
    );
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (e.name === "AbortError" || e.name === "TimeoutError") reject(new SendError(`No answer within ${timeoutMs / 1000} s.`));
      else reject(new SendError(e.code === "ESPROUTREFUSED" ? e.message : `${e.code ?? "Error"}: ${e.message}`));
    });
    req.end(body);
  });
}

export interface TEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends an email through SPROUT_SMTP_URL (smtp:// or smtps://, credentials in the URL), from SPROUT_SMTP_FROM. */
export async function sendEmail(mail: TEmail): Promise<void> {
  const smtp = process.env.SPROUT_SMTP_URL;
  if (!smtp) throw new SendError("SPROUT_SMTP_URL is not set on the worker: Sprout has no mail server to send through.");
  const timeout = sendTimeoutMs();
  // the URL's own settings (host, port, credentials, smtps) win over these per-step limits; the
  // signal bounds the whole attempt, however steadily a slow server answers, and closes its connection
  const transport = nodemailer.createTransport({ url: smtp, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  const limit = AbortSignal.timeout(timeout);
  try {
    await transport.sendMail({ from: process.env.SPROUT_SMTP_FROM || "Sprout <sprout@localhost>", ...mail, signal: limit });
  } catch (e) {
    if (limit.aborted) throw new SendError(`The mail server did not take the email within ${timeout / 1000} s.`);
    const err = e as { responseCode?: number; code?: string; message?: string };
    throw new SendError(`${err.code ?? "SMTP"}: ${err.message ?? String(e)}`);
  } finally {
    transport.close();
  }
}
