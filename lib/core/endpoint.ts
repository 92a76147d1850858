// Which URLs a stage's endpoint may be (docs/cloudformation.md, "Endpoint rules"). Sprout sends
// requests signed with the host's AWS credentials there, so an endpoint must not reach the cloud's
// metadata service or a private network: https to a public address, or http(s) to loopback for a
// local emulator; private and link-local addresses only when the instance allows them. Pure: the
// DNS half (a name's addresses, checked with `checkAddress`) lives in lib/server/endpoints.ts.

export type TAddressClass =
  "loopback" | "private" | "link-local" | "metadata" | "unspecified" | "reserved" | "multicast" | "ipv4-in-ipv6" | "public";

export interface TEndpointPolicy {
  /** SPROUT_ALLOW_PRIVATE_ENDPOINTS=1: private and link-local addresses are allowed (metadata never) */
  allowPrivate: boolean;
}

const WHY: Record<Exclude<TAddressClass, "public" | "loopback">, string> = {
  private: "a private network address",
  "link-local": "a link-local address",
  metadata: "a cloud metadata service address",
  unspecified: "an unspecified address (0.0.0.0 or ::)",
  reserved: "a reserved or documentation address",
  multicast: "a multicast or broadcast address",
  "ipv4-in-ipv6": "an IPv4 address written as IPv6 (mapped, compatible or NAT64)",
};

/** Four numbers 0..255 from strict dotted decimal ("127.0.0.1"); null for anything else (no hex, octal or short forms). */
export function parseIPv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return null;
    out.push(Number(p));
  }
  return out;
}

/** Eight 16-bit groups of an IPv6 address (brackets, a zone and a dotted IPv4 tail allowed); null if it is not one. */
export function parseIPv6(text: string): number[] | null {
  let s = text
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "")
    .toLowerCase();
  let tail: number[] = [];
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const ip = parseIPv4(dotted[2]!);
    if (!ip) return null;
    tail = [(ip[0]! << 8) | ip[1]!, (ip[2]! << 8) | ip[3]!];
    s = dotted[1]!.endsWith("::") ? dotted[1]! : dotted[1]!.slice(0, -1);
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const groups = (x: string) => (x === "" ? [] : x.split(":"));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : null;
  const all = [...head, ...(rest ?? [])];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  const want = 8 - tail.length;
  if (rest === null ? all.length !== want : all.length > want - 1) return null;
  const zeros = Array<string>(want - all.length).fill("0");
  return [...head, ...zeros, ...(rest ?? [])].map((g) => parseInt(g, 16)).concat(tail);
}

function classifyIPv4([a, b, c, d]: number[]): TAddressClass {
  const ip = `${a}.${b}.${c}.${d}`;
  if (["169.254.169.254", "169.254.169.253", "169.254.170.2", "169.254.170.23", "100.100.100.200", "192.0.0.192"].includes(ip))
    return "metadata";
  if (a === 0) return "unspecified";
  if (a === 127) return "loopback";
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168) || (a === 100 && b! >= 64 && b! <= 127)) return "private";
  if (a === 169 && b === 254) return "link-local";
  if (a! >= 224) return a! < 240 ? "multicast" : "reserved";
  if (
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  )
    return "reserved";
  return "public";
}

function classifyIPv6(g: number[]): TAddressClass {
  const hex = g.map((x) => x.toString(16)).join(":");
  if (hex === "fd00:ec2:0:0:0:0:0:254" || hex === "fd00:ec2:0:0:0:0:0:23") return "metadata";
  if (g.every((x) => x === 0)) return "unspecified";
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return "loopback";
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64) reach an IPv4 address
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return "ipv4-in-ipv6";
  if (g[0] === 0x64 && g[1] === 0xff9b) return "ipv4-in-ipv6";
  if ((g[0]! & 0xfe00) === 0xfc00) return "private";
  if ((g[0]! & 0xffc0) === 0xfe80) return "link-local";
  if ((g[0]! & 0xff00) === 0xff00) return "multicast";
  if (g[0] === 0x2001 && g[1] === 0xdb8) return "reserved";
  return "public";
}

/** The class of an IP address as text (IPv4 dotted decimal or IPv6); null when it is not an IP address. */
export function classifyAddress(address: string): TAddressClass | null {
  const v4 = parseIPv4(address);
  if (v4) return classifyIPv4(v4);
  const v6 = address.includes(":") ? parseIPv6(address) : null;
  return v6 ? classifyIPv6(v6) : null;
}

/** Why Sprout may not call this address with this scheme; null when it may. */
export function checkAddress(address: string, scheme: "http" | "https", policy: TEndpointPolicy): string | null {
  const cls = classifyAddress(address);
  if (!cls) return `${address} is not an IP address`;
  if (cls === "loopback") return null;
  if (cls === "public") return scheme === "https" ? null : `http is only for a local emulator on loopback; use https for ${address}`;
  if ((cls === "private" || cls === "link-local") && policy.allowPrivate) return null;
  const hint =
    cls === "private" || cls === "link-local" ? " (an instance admin may allow these with SPROUT_ALLOW_PRIVATE_ENDPOINTS=1)" : "";
  return `${address} is ${WHY[cls]}, which Sprout does not send AWS requests to${hint}`;
}

export type TEndpointCheck =
  | {
      ok: true;
      url: URL;
      scheme: "http" | "https";
      /** the host as written, when it is a name to resolve (not an IP) */ hostname: string | null;
    }
  | { ok: false; reason: string };

/** What is written between "//" and the path: [userinfo@]host[:port]. */
const authorityOf = (raw: string) => /^[a-z][a-z0-9+.-]*:[/\\]{2}([^/?#\\]*)/i.exec(raw)?.[1] ?? "";

/** The host exactly as written in the URL (between "//" and the port), lowercased. */
function rawHost(raw: string): string {
  const authority = authorityOf(raw);
  const host = authority.slice(authority.lastIndexOf("@") + 1);
  return (host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:[^:]*$/, "")).toLowerCase();
}

/**
 * The URL checks of an endpoint: http(s), no credentials, no query or fragment, an IP literal in its
 * plain form only (0x7f000001, 2130706433, 0177.0.0.1, 127.1 and IPv4-in-IPv6 are refused), and an
 * IP literal's address allowed for its scheme. A host name still has to be resolved and its
 * addresses checked with `checkAddress`.
 */
export function checkEndpointUrl(raw: string, policy: TEndpointPolicy): TEndpointCheck {
  const fail = (why: string): TEndpointCheck => ({ ok: false, reason: why });
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) return fail("must not contain spaces or control characters");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail("must be an http(s) URL such as https://cloudformation.eu-west-1.amazonaws.com");
  }
  const scheme = url.protocol === "https:" ? "https" : url.protocol === "http:" ? "http" : null;
  if (!scheme) return fail(`must be an http(s) URL (got ${url.protocol.replace(/:$/, "")})`);
  if (url.username || url.password || authorityOf(raw).includes("@"))
    return fail("must not carry credentials (user:password@): Sprout uses the host's AWS credentials");
  if (url.search || url.hash) return fail("must not have a query string or a fragment");
  const written = rawHost(raw);
  const host = url.hostname;
  if (host.startsWith("[")) {
    const address = host.slice(1, -1);
    const why = checkAddress(address, scheme, policy);
    return why ? fail(why) : { ok: true, url, scheme, hostname: null };
  }
  if (parseIPv4(host)) {
    // the URL parser turns 0x7f000001, 2130706433, 0177.0.0.1 or 127.1 into 127.0.0.1: only the plain form is taken
    if (written !== host) return fail(`writes the address ${host} as "${written}": write an IP address as four decimal numbers (${host})`);
    const why = checkAddress(host, scheme, policy);
    return why ? fail(why) : { ok: true, url, scheme, hostname: null };
  }
  if (/^[0-9.]+$|^0x/i.test(written)) return fail(`"${written}" is not a valid host name or IP address`);
  return { ok: true, url, scheme, hostname: host.replace(/\.$/, "") };
}
