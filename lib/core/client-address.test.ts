import { describe, expect, it } from "vitest";
import { clientAddress, formatIp, ipBytes, parseTrustedProxies } from "./client-address";

const ip = (s: string) => {
  const b = ipBytes(s);
  return b ? formatIp(b) : null;
};

describe("addresses", () => {
  it.each<[string, string | null]>([
    ["203.0.113.5", "203.0.113.5"],
    ["::ffff:203.0.113.5", "203.0.113.5"],
    ["::FFFF:cb00:7105", "203.0.113.5"],
    ["2001:db8::1", "2001:db8:0:0:0:0:0:1"],
    ["::1", "0:0:0:0:0:0:0:1"],
    ["fe80::1%eth0", "fe80:0:0:0:0:0:0:1"],
    ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
    ["256.1.1.1", null],
    ["1.2.3", null],
    ["2001:db8:::1", null],
    ["1:2:3:4:5:6:7:8:9", null],
    ["evil.example", null],
    ["", null],
  ])("%s -> %s", (input, out) => expect(ip(input)).toBe(out));
});

describe("SPROUT_TRUSTED_PROXIES", () => {
  it("is nothing, a hop count, or IPs and CIDR ranges", () => {
    expect(parseTrustedProxies(undefined)).toEqual({ kind: "none" });
    expect(parseTrustedProxies(" ")).toEqual({ kind: "none" });
    expect(parseTrustedProxies("2")).toEqual({ kind: "hops", hops: 2 });
    expect(parseTrustedProxies("10.0.0.0/8, 192.0.2.10, fd00::/8")).toMatchObject({ kind: "ranges" });
  });

  it.each(["0", "21", "10.0.0.0/33", "10.0.0.0/8/1", "proxy.internal", "10.0.0.0/x", "fd00::/129"])(
    "refuses %s, saying what it takes",
    (v) => {
      expect(() => parseTrustedProxies(v)).toThrow(/^SPROUT_TRUSTED_PROXIES: /);
    },
  );
});

describe("the client's address", () => {
  const none = parseTrustedProxies("");
  const oneHop = parseTrustedProxies("1");
  const lb = parseTrustedProxies("10.0.0.0/24, 192.0.2.10");

  it.each<[string, Parameters<typeof clientAddress>[0], string | null]>([
    [
      "no proxy: the socket's peer, whatever X-Forwarded-For says",
      { peer: "198.51.100.7", forwardedFor: "1.2.3.4", trusted: none },
      "198.51.100.7",
    ],
    ["no peer known: unknown", { peer: null, forwardedFor: "1.2.3.4", trusted: lb }, null],
    ["IPv4-mapped peer", { peer: "::ffff:198.51.100.7", forwardedFor: null, trusted: none }, "198.51.100.7"],
    ["one hop: what the proxy appended", { peer: "10.0.0.2", forwardedFor: "6.6.6.6, 203.0.113.5", trusted: oneHop }, "203.0.113.5"],
    ["one hop, reached directly: the peer", { peer: "203.0.113.9", forwardedFor: null, trusted: oneHop }, "203.0.113.9"],
    [
      "ranges: past the trusted proxies",
      { peer: "10.0.0.2", forwardedFor: "6.6.6.6, 203.0.113.5, 192.0.2.10", trusted: lb },
      "203.0.113.5",
    ],
    ["ranges: an untrusted peer is the client", { peer: "203.0.113.9", forwardedFor: "6.6.6.6", trusted: lb }, "203.0.113.9"],
    ["ranges: an entry with a port", { peer: "10.0.0.2", forwardedFor: "203.0.113.5:4711", trusted: lb }, "203.0.113.5"],
    ["ranges: a bracketed IPv6 with a port", { peer: "10.0.0.2", forwardedFor: "[2001:db8::5]:443", trusted: lb }, "2001:db8:0:0:0:0:0:5"],
    ["ranges: garbage where the client should be", { peer: "10.0.0.2", forwardedFor: "not-an-ip", trusted: lb }, null],
    ["ranges: all trusted: the leftmost", { peer: "10.0.0.2", forwardedFor: "10.0.0.7", trusted: lb }, "10.0.0.7"],
  ])("%s", (_, input, out) => expect(clientAddress(input)).toBe(out));

  it("rotating X-Forwarded-For values do not change the address without a trusted proxy", () => {
    const seen = new Set(
      Array.from({ length: 20 }, (_, i) => clientAddress({ peer: "198.51.100.7", forwardedFor: `203.0.113.${i}`, trusted: none })),
    );
    expect([...seen]).toEqual(["198.51.100.7"]);
  });
});
