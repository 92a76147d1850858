// What a Slack channel and an inbox read: one headline saying what happened to which build, then
// the commit and a link to the build. Built from a payload that is already masked. Pure.
import { actorLabel } from "../roles";
import type { TNotifyPayload } from "./events";

const EVENT_WORDS: Record<string, string> = {
  "build.queued": "queued",
  "build.started": "started",
  "build.succeeded": "succeeded",
  "build.failed": "failed",
  "build.canceled": "was canceled",
  "build.rejected": "was rejected",
  "build.awaiting_approval": "is waiting for approval",
};

/** "Rollback of billing-api to #12", "Promote from dev #7", "Deploy". */
export function kindWords(b: NonNullable<TNotifyPayload["build"]>): string {
  if (b.kind === "rollback" && b.rollbackOf !== null)
    return b.rollbackServices?.length ? `Rollback of ${b.rollbackServices.join(", ")} to #${b.rollbackOf}` : `Rollback to #${b.rollbackOf}`;
  if (b.kind === "promote" && b.promotedFrom) return `Promote from ${b.promotedFrom.stage} #${b.promotedFrom.number}`;
  return b.kind === "rollback" ? "Rollback" : b.kind === "promote" ? "Promote" : "Deploy";
}

/** One line: "notes/prod #14 failed: Rollback to #12 (queued by ada@example.com)". */
export function headline(p: TNotifyPayload): string {
  const where = `${p.app}/${p.stage}`;
  if (p.event === "test") return `Test notification from Sprout for ${where}: this target works.`;
  if (p.event === "stage.pinned") {
    const to = p.pin?.build ? ` to #${p.pin.build}` : "";
    return `${where} is pinned${to} after a rollback by ${actorLabel(p.pin?.by ?? "someone")}: pushes no longer deploy until someone unpins it.`;
  }
  if (p.event === "stage.unpinned") return `${where} was unpinned by ${actorLabel(p.pin?.by ?? "someone")}: pushes deploy again.`;
  const b = p.build!;
  return `${where} #${b.number} ${EVENT_WORDS[p.event] ?? p.event}: ${kindWords(b)} (queued by ${actorLabel(b.triggeredBy)})`;
}

const shortSha = (sha: string) => sha.slice(0, 7);

/** The lines under the headline: commit, error, reason of a pin. */
function details(p: TNotifyPayload): string[] {
  const out: string[] = [];
  const b = p.build;
  if (b) {
    const by = b.commit.author ? ` (${b.commit.author})` : "";
    if (b.commit.sha) out.push(`Commit ${shortSha(b.commit.sha)}: ${b.commit.message.split("\n")[0]}${by}`);
    if (b.error) out.push(`Error: ${b.error}`);
  }
  if (p.pin?.reason) out.push(`Reason: ${p.pin.reason}`);
  return out;
}

const slackEscape = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** A Slack incoming webhook's body: mrkdwn text with a link to the build. */
export function slackMessage(p: TNotifyPayload): { text: string } {
  const lines = [slackEscape(headline(p)), ...details(p).map(slackEscape)];
  if (p.build) lines.push(`<${p.build.url}|Open build #${p.build.number}>`);
  return { text: lines.join("\n") };
}

const htmlEscape = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");

/** An email: the headline as its subject, plain text and the same in HTML. */
export function emailMessage(p: TNotifyPayload): { subject: string; text: string; html: string } {
  const subject = `[Sprout] ${headline(p)}`.slice(0, 250);
  const lines = [headline(p), ...details(p)];
  const text = [...lines, ...(p.build ? ["", `Open the build: ${p.build.url}`] : [])].join("\n");
  const link = p.build ? `<p><a href="${htmlEscape(p.build.url)}">Open build #${p.build.number}</a></p>` : "";
  const html = `<div style="font-family:sans-serif">${lines.map((l, i) => (i === 0 ? `<p><strong>${htmlEscape(l)}</strong></p>` : `<p>${htmlEscape(l)}</p>`)).join("")}${link}</div>`;
  return { subject, text, html };
}
