// Where a notification may be sent (docs/architecture.md, "Notifications"). The worker POSTs to a
// URL an app admin typed, so it must not reach the cloud's metadata service or, unless the instance
// allows it (SPROUT_ALLOW_PRIVATE_TARGETS=1), a private or link-local network: https to a public
// address, http(s) to loopback (a receiver on this machine: tests, local tools). Pure: the names'
// addresses are checked by lib/server/notifications/target-check.ts with `checkTargetAddress`.
import { classifyAddress, parseIPv4 } from "../endpoint";

export interface TTargetPolicy {
  /** SPROUT_ALLOW_PRIVATE_TARGETS=1: private and link-local addresses are allowed (metadata never) */
  allowPrivate: boolean;
}

const WHY: Record<string, string> = {
  private: "a private network address",
  "link-local": "a link-local address",
  metadata: "a cloud metadata service address",
  unspecified: "an unspecified address (0.0.0.0 or ::)",
  reserved: "a reserved or documentation address",
  multicast: "a multicast or broadcast address",
  "ipv4-in-ipv6": "an IPv4 address written as IPv6 (mapped, compatible or NAT64)",
};

/** Why Sprout may not send a notification to this address with this scheme; null when it may. */
export function checkTargetAddress(address: string, scheme: "http" | "https", policy: TTargetPolicy): string | null {
  const cls = classifyAddress(address);
  if (!cls) return `${address} is not an IP address`;
  if (cls === "loopback") return null;
  if (cls === "public")
    return scheme === "https" ? null : `http is only for a receiver on this machine (loopback); use https for ${address}`;
  if ((cls === "private" || cls === "link-local") && policy.allowPrivate) return null;
  const hint = cls === "private" || cls === "link-local" ? " (an instance admin may allow these with SPROUT_ALLOW_PRIVATE_TARGETS=1)" : "";
  return `${address} is ${WHY[cls]}, which Sprout does not send notifications to${hint}`;
}

export type TTargetUrlCheck =
  | { ok: true; url: URL; scheme: "http" | "https"; /** a host name to resolve, else null (an IP literal) */ hostname: string | null }
  | { ok: false; reason: string };

/**
 * The URL rules: http(s), no spaces or control characters, an IP literal in its plain form only
 * (0x7f000001, 2130706433 or 127.1 are refused), and an IP literal's address allowed for its
 * scheme. A host name still has to be resolved and its addresses checked.
 */
export function checkTargetUrl(raw: string, policy: TTargetPolicy): TTargetUrlCheck {
  const fail = (reason: string): TTargetUrlCheck => ({ ok: false, reason });
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) return fail("must not contain spaces or control characters");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail("must be an http(s) URL such as https://hooks.example.com/sprout");
  }
  const scheme = url.protocol === "https:" ? "https" : url.protocol === "http:" ? "http" : null;
  if (!scheme) return fail(`must be an http(s) URL (got ${url.protocol.replace(/:$/, "")})`);
  const host = url.hostname;
  if (host.startsWith("[")) {
    const why = checkTargetAddress(host.slice(1, -1), scheme, policy);
    return why ? fail(why) : { ok: true, url, scheme, hostname: null };
  }
  const authority = /^[a-z][a-z0-9+.-]*:[/\\]{2}([^/?#\\]*)/i.exec(raw)?.[1] ?? "";
  const written = authority
    .slice(authority.lastIndexOf("@") + 1)
    .replace(/:[^:]*$/, "")
    .toLowerCase();
  if (parseIPv4(host)) {
    if (written !== host) return fail(`writes the address ${host} as "${written}": write an IP address as four decimal numbers (${host})`);
    const why = checkTargetAddress(host, scheme, policy);
    return why ? fail(why) : { ok: true, url, scheme, hostname: null };
  }
  if (/^[0-9.]+$|^0x/i.test(written)) return fail(`"${written}" is not a valid host name or IP address`);
  return { ok: true, url, scheme, hostname: host.replace(/\.$/, "") };
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
