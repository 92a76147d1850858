// Where a notification may be sent (docs/architecture.md, "Notifications"). The worker POSTs to a
// URL an app admin typed, so it must not reach the cloud's metadata service or, unless the instance
// allows it (SPROUT_ALLOW_PRIVATE_TARGETS=1), a private or link-local network: https to a public
// address, http(s) to loopback (a receiver on this machine: tests, local tools). Pure: the names'
// addresses are checked by lib/server/notifications/target-check.ts with `checkTargetAddress`.
import { addressRefusal, checkUrlHost, parseHttpUrl, type THttpScheme, type TUrlCheck } from "../outbound-url";

export interface TTargetPolicy {
  /** SPROUT_ALLOW_PRIVATE_TARGETS=1: private and link-local addresses are allowed (metadata never) */
  allowPrivate: boolean;
}

const WORDS = { httpFor: "a receiver on this machine (loopback)", sends: "notifications", allowVariable: "SPROUT_ALLOW_PRIVATE_TARGETS" };

/** Why Sprout may not send a notification to this address with this scheme; null when it may. */
export function checkTargetAddress(address: string, scheme: THttpScheme, policy: TTargetPolicy): string | null {
  return addressRefusal(address, scheme, policy.allowPrivate, WORDS);
}

export type TTargetUrlCheck = TUrlCheck;

/**
 * The URL rules: http(s), no spaces or control characters, an IP literal in its plain form only
 * (0x7f000001, 2130706433 or 127.1 are refused), and an IP literal's address allowed for its
 * scheme. A host name still has to be resolved and its addresses checked.
 */
export function checkTargetUrl(raw: string, policy: TTargetPolicy): TTargetUrlCheck {
  const parsed = parseHttpUrl(raw, "https://hooks.example.com/sprout");
  if (!parsed.ok) return parsed;
  const { url, scheme } = parsed;
  return checkUrlHost(raw, url, scheme, (address) => checkTargetAddress(address, scheme, policy));
}

/**
 * The URL as the settings page shows it: no credentials, no query, and long path segments (where
 * Slack and most services put their tokens) masked. "https://hooks.slack.com/services/T0123/B0456/****".
 */
export function targetLabel(url: URL): string {
  const path = url.pathname
    .split("/")
    .map((seg) => (seg.length >= 16 ? "****" : seg))
    .join("/");
  return `${url.protocol}//${url.host}${path === "/" ? "" : path}${url.search ? "?…" : ""}`;
}
