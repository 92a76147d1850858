// Which address a request comes from, for the sign-in rate limit. X-Forwarded-For is written by
// whoever sends the request, so it counts only as far as proxies the operator named: by default
// the answer is the socket's peer; with SPROUT_TRUSTED_PROXIES (a hop count, or IPs and CIDR
// ranges) the chain [...X-Forwarded-For, peer] is walked from the right past the trusted proxies,
// and the first address that is not one of them is the client. Pure: lib/server applies it.

/** Set by Sprout's web server (scripts/web-server.ts) on every request: the socket's peer address. */
export const PEER_HEADER = "x-sprout-peer";
/** Set (to "1") in the web server's own environment: only then does PEER_HEADER come from the socket. */
export const WEB_SERVER_ENV = "SPROUT_WEB_SERVER";

export type TTrustedProxies = { kind: "none" } | { kind: "hops"; hops: number } | { kind: "ranges"; ranges: TRange[] };
type TRange = { bytes: Uint8Array; prefix: number };

const MAX_HOPS = 20;

function parseIpv4(s: string): number[] | null {
  const parts = s.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number);
}

function parseIpv6(s: string): number[] | null {
  let t = s;
  const lastColon = t.lastIndexOf(":");
  const v4 = t.slice(lastColon + 1).includes(".") ? parseIpv4(t.slice(lastColon + 1)) : undefined;
  if (v4 === null) return null;
  if (v4) t = `${t.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  const halves = t.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  if (![...head, ...tail].every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  const n = head.length + tail.length;
  if (halves.length === 1 ? n !== 8 : n > 7) return null;
  return [...head, ...Array<string>(8 - n).fill("0"), ...tail].map((g) => parseInt(g, 16));
}

/** An IPv4 or IPv6 address as bytes (IPv4-mapped IPv6 as IPv4), or null when it is neither. */
export function ipBytes(input: string): Uint8Array | null {
  const s = input.trim().replace(/%[\w.-]+$/, ""); // an IPv6 zone (fe80::1%eth0) is not part of the address
  const v4 = parseIpv4(s);
  if (v4) return Uint8Array.from(v4);
  const words = s.includes(":") ? parseIpv6(s) : null;
  if (!words) return null;
  const bytes = Uint8Array.from(words.flatMap((w) => [w >> 8, w & 255]));
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255;
  return mapped ? bytes.slice(12) : bytes;
}

/** The address as the rate limit keys it: IPv4 dotted, IPv6 in full lowercase groups. */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join(".");
  const words = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  return words.join(":");
}

function inRange(ip: Uint8Array, r: TRange): boolean {
  if (ip.length !== r.bytes.length) return false;
  for (let bit = 0; bit < r.prefix; bit += 8) {
    const take = Math.min(8, r.prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((ip[bit / 8]! & mask) !== (r.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}

/** SPROUT_TRUSTED_PROXIES: empty (trust no forwarded header), a hop count ("1"), or IPs and CIDR ranges, comma-separated. */
export function parseTrustedProxies(value: string | undefined): TTrustedProxies {
  const v = value?.trim();
  if (!v) return { kind: "none" };
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops < 1 || hops > MAX_HOPS) throw new Error(`SPROUT_TRUSTED_PROXIES: a hop count must be from 1 to ${MAX_HOPS}, not ${v}.`);
    return { kind: "hops", hops };
  }
  const ranges = v.split(",").map((entry) => {
    const e = entry.trim();
    const [ip, prefix, extra] = e.split("/");
    const bytes = ipBytes(ip ?? "");
    const bits = bytes ? bytes.length * 8 : 0;
    const p = prefix === undefined ? bits : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!bytes || extra !== undefined || !(p >= 0 && p <= bits)) {
      throw new Error(
        `SPROUT_TRUSTED_PROXIES: "${e}" is not an IP address or a CIDR range (10.0.0.0/8, fd00::/8); or give a hop count such as 1.`,
      );
    }
    // an IPv4-mapped range (::ffff:10.0.0.0/104) is the IPv4 range it maps
    return { bytes, prefix: bits === 32 && ip!.includes(":") ? Math.max(0, p - 96) : p };
  });
  return { kind: "ranges", ranges };
}

/** One X-Forwarded-For entry: an address, possibly with a port ("203.0.113.5:4711", "[2001:db8::1]:443"). */
function hopAddress(entry: string): string {
  const e = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(e);
  if (bracketed) return bracketed[1]!;
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(e);
  return v4port ? v4port[1]! : e;
}

/**
 * The client's address (normalized) for a request whose socket peer is `peer`, or null when it
 * cannot be known: no peer (Sprout's own server is not in front), or the hop that names the client
 * is not an IP address.
 */
export function clientAddress(input: { peer: string | null; forwardedFor: string | null; trusted: TTrustedProxies }): string | null {
  if (!input.peer) return null;
  const forwarded = input.trusted.kind === "none" ? [] : (input.forwardedFor ?? "").split(",").filter((h) => h.trim());
  const chain = [...forwarded.map(hopAddress), input.peer];
  let client: string;
  if (input.trusted.kind === "none") client = input.peer;
  else if (input.trusted.kind === "hops") client = chain[Math.max(0, chain.length - 1 - input.trusted.hops)]!;
  else {
    const { ranges } = input.trusted;
    let i = chain.length - 1;
    for (; i > 0; i--) {
      const bytes = ipBytes(chain[i]!);
      if (!bytes || !ranges.some((r) => inRange(bytes, r))) break;
    }
    client = chain[i]!;
  }
  const bytes = ipBytes(client);
  return bytes ? formatIp(bytes) : null;
}
