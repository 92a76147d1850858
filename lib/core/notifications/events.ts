// What a stage's notification targets are told (docs/architecture.md, "Notifications"): the events,
// which ones a target wants, and the JSON a webhook receives, signed with the target's secret. Pure.
import { createHmac } from "node:crypto";
import type { TBuildKind, TBuildStatus } from "../domain";
import { maskSecrets } from "../mask";

export const NOTIFY_EVENTS = [
  "build.queued",
  "build.started",
  "build.succeeded",
  "build.failed",
  "build.canceled",
  "build.rejected",
  "build.awaiting_approval",
  "stage.pinned",
  "stage.unpinned",
] as const;
export type TNotifyEvent = (typeof NOTIFY_EVENTS)[number];
/** what "Send test" delivers: the same shape, with no build */
export type TDeliveryEvent = TNotifyEvent | "test";

export const TARGET_KINDS = ["webhook", "slack", "email"] as const;
export type TTargetKind = (typeof TARGET_KINDS)[number];
/** `failures`: only builds that failed */
export const TARGET_EVENTS = ["all", "failures"] as const;
export type TTargetEvents = (typeof TARGET_EVENTS)[number];

/** Whether a target with this filter is told of `event` (a test is always sent). */
export function wants(filter: TTargetEvents, event: TDeliveryEvent): boolean {
  return filter === "all" || event === "build.failed" || event === "test";
}

/** The event of a build's end; null for an end nobody is told of (skipped: superseded, or its stage pinned). */
export function endEvent(status: TBuildStatus): TNotifyEvent | null {
  const events: Partial<Record<TBuildStatus, TNotifyEvent>> = {
    success: "build.succeeded",
    failed: "build.failed",
    canceled: "build.canceled",
    rejected: "build.rejected",
  };
  return events[status] ?? null;
}

export interface TNotifyBuild {
  number: number;
  kind: TBuildKind;
  status: TBuildStatus;
  rollbackOf: number | null;
  commit: { sha: string; message: string; author: string | null; branch: string | null };
  /** the build's page */
  url: string;
  /** who queued it, as the audit names them */
  triggeredBy: string;
  promotedFrom: { stage: string; number: number } | null;
  /** a partial rollback's services */
  rollbackServices: string[] | null;
  error: string | null;
}

export interface TNotifyPayload {
  event: TDeliveryEvent;
  app: string;
  stage: string;
  build: TNotifyBuild | null;
  /** stage.pinned / stage.unpinned: who did it, and for a pin the build whose release it holds */
  pin?: { build: number | null; by: string; reason: string | null };
  at: string;
}

/** The payload, masked: a commit message, a reason or an error never carries a credential to a target. */
export function notifyPayload(p: TNotifyPayload): TNotifyPayload {
  const build = p.build && {
    ...p.build,
    commit: { ...p.build.commit, message: maskSecrets(p.build.commit.message) },
    error: p.build.error === null ? null : maskSecrets(p.build.error),
  };
  const pin = p.pin && { ...p.pin, reason: p.pin.reason === null ? null : maskSecrets(p.pin.reason) };
  return { ...p, build, ...(pin ? { pin } : {}) };
}

/** `X-Sprout-Signature`: "sha256=" and the HMAC-SHA256 of the raw body with the target's secret, in hex. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
