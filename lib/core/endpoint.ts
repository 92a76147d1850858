// Which URLs a stage's endpoint may be (docs/cloudformation.md, "Endpoint rules"). Sprout sends
// requests signed with the host's AWS credentials there, so an endpoint must not reach the cloud's
// metadata service or a private network: https to a public address, or http(s) to loopback for a
// local emulator; private and link-local addresses only when the instance allows them. Pure: the
// DNS half (a name's addresses, checked with `checkAddress`) lives in lib/server/endpoints.ts.
import { addressRefusal, authorityOf, checkUrlHost, parseHttpUrl, type THttpScheme, type TUrlCheck } from "./outbound-url";

export { classifyAddress, parseIPv4, parseIPv6, type TAddressClass } from "./outbound-url";

export interface TEndpointPolicy {
  /** SPROUT_ALLOW_PRIVATE_ENDPOINTS=1: private and link-local addresses are allowed (metadata never) */
  allowPrivate: boolean;
}

const WORDS = { httpFor: "a local emulator on loopback", sends: "AWS requests", allowVariable: "SPROUT_ALLOW_PRIVATE_ENDPOINTS" };

/** Why Sprout may not call this address with this scheme; null when it may. */
export function checkAddress(address: string, scheme: THttpScheme, policy: TEndpointPolicy): string | null {
  return addressRefusal(address, scheme, policy.allowPrivate, WORDS);
}

export type TEndpointCheck = TUrlCheck;

/**
 * The URL checks of an endpoint: http(s), no credentials, no query or fragment, an IP literal in its
 * plain form only (0x7f000001, 2130706433, 0177.0.0.1, 127.1 and IPv4-in-IPv6 are refused), and an
 * IP literal's address allowed for its scheme. A host name still has to be resolved and its
 * addresses checked with `checkAddress`.
 */
export function checkEndpointUrl(raw: string, policy: TEndpointPolicy): TEndpointCheck {
  const parsed = parseHttpUrl(raw, "https://cloudformation.eu-west-1.amazonaws.com");
  if (!parsed.ok) return parsed;
  const { url, scheme } = parsed;
  if (url.username || url.password || authorityOf(raw).includes("@"))
    return { ok: false, reason: "must not carry credentials (user:password@): Sprout uses the host's AWS credentials" };
  if (url.search || url.hash) return { ok: false, reason: "must not have a query string or a fragment" };
  return checkUrlHost(raw, url, scheme, (address) => checkAddress(address, scheme, policy));
}
