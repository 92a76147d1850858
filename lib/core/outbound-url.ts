// The URL and address rules shared by everything Sprout connects to on a user's word: a stage's
// endpoint (lib/core/endpoint.ts) and a notification target (lib/core/notifications/target-url.ts).
// Each caller keeps its own policy (which variable allows private networks, what else a URL may not
// carry) and its own wording; a host name's addresses are checked on the server (lib/server/endpoints.ts).

export type TAddressClass =
  "loopback" | "private" | "link-local" | "metadata" | "unspecified" | "reserved" | "multicast" | "ipv4-in-ipv6" | "public";

export type THttpScheme = "http" | "https";

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

/** How a caller words a refused address. */
export interface TAddressWording {
  /** "http is only for {httpFor}; use https for …" */
  httpFor: string;
  /** "…, which Sprout does not send {sends} to" */
  sends: string;
  /** the instance's variable that allows private and link-local addresses */
  allowVariable: string;
}

/**
 * Why Sprout may not connect to this address with this scheme, in the caller's words; null when it
 * may: loopback always, a public address over https, a private or link-local one when `allowPrivate`.
 */
export function addressRefusal(address: string, scheme: THttpScheme, allowPrivate: boolean, words: TAddressWording): string | null {
  const cls = classifyAddress(address);
  if (!cls) return `${address} is not an IP address`;
  if (cls === "loopback") return null;
  if (cls === "public") return scheme === "https" ? null : `http is only for ${words.httpFor}; use https for ${address}`;
  const local = cls === "private" || cls === "link-local";
  if (local && allowPrivate) return null;
  const hint = local ? ` (an instance admin may allow these with ${words.allowVariable}=1)` : "";
  return `${address} is ${WHY[cls]}, which Sprout does not send ${words.sends} to${hint}`;
}

export type TUrlCheck =
  | { ok: true; url: URL; scheme: THttpScheme; /** a host name to resolve, else null (an IP literal) */ hostname: string | null }
  | { ok: false; reason: string };

/** An http(s) URL with no spaces or control characters; `example` is the URL the error suggests. */
export function parseHttpUrl(raw: string, example: string): { ok: true; url: URL; scheme: THttpScheme } | { ok: false; reason: string } {
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) return { ok: false, reason: "must not contain spaces or control characters" };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: `must be an http(s) URL such as ${example}` };
  }
  const scheme = url.protocol === "https:" ? "https" : url.protocol === "http:" ? "http" : null;
  if (!scheme) return { ok: false, reason: `must be an http(s) URL (got ${url.protocol.replace(/:$/, "")})` };
  return { ok: true, url, scheme };
}

/** What is written between "//" and the path: [userinfo@]host[:port]. */
export const authorityOf = (raw: string) => /^[a-z][a-z0-9+.-]*:[/\\]{2}([^/?#\\]*)/i.exec(raw)?.[1] ?? "";

/** The host exactly as written in the URL (between "//" and the port), lowercased. */
function rawHost(raw: string): string {
  const authority = authorityOf(raw);
  const host = authority.slice(authority.lastIndexOf("@") + 1);
  return (host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:[^:]*$/, "")).toLowerCase();
}

/**
 * The host of a URL `parseHttpUrl` took: an IP literal in its plain form only, and allowed by `check`
 * (why an address is refused, null when it is not); a host name is handed back to be resolved.
 */
export function checkUrlHost(raw: string, url: URL, scheme: THttpScheme, check: (address: string) => string | null): TUrlCheck {
  const host = url.hostname;
  const checked = (address: string): TUrlCheck => {
    const why = check(address);
    return why ? { ok: false, reason: why } : { ok: true, url, scheme, hostname: null };
  };
  if (host.startsWith("[")) return checked(host.slice(1, -1));
  const written = rawHost(raw);
  if (parseIPv4(host)) {
    // the URL parser turns 0x7f000001, 2130706433, 0177.0.0.1 or 127.1 into 127.0.0.1: only the plain form is taken
    if (written !== host)
      return { ok: false, reason: `writes the address ${host} as "${written}": write an IP address as four decimal numbers (${host})` };
    return checked(host);
  }
  if (/^[0-9.]+$|^0x/i.test(written)) return { ok: false, reason: `"${written}" is not a valid host name or IP address` };
  return { ok: true, url, scheme, hostname: host.replace(/\.$/, "") };
}
