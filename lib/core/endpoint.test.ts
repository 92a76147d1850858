import { describe, expect, it } from "vitest";
import { checkAddress, checkEndpointUrl, classifyAddress, parseIPv6 } from "./endpoint";

const STRICT = { allowPrivate: false };
const LAN = { allowPrivate: true };

describe("checkEndpointUrl", () => {
  it.each([
    ["https://cloudformation.eu-west-1.amazonaws.com", "cloudformation.eu-west-1.amazonaws.com"],
    ["https://cfn.example.com:8443/", "cfn.example.com"],
    ["http://localhost:4566", "localhost"],
    ["http://LOCALHOST.:4566", "localhost"],
  ])("accepts %s, leaving the name %s to resolve", (raw, hostname) => {
    expect(checkEndpointUrl(raw, STRICT)).toMatchObject({ ok: true, hostname });
  });

  it.each(["http://127.0.0.1:4599", "https://127.0.0.1", "http://127.8.9.10:1", "http://[::1]:4599", "http://[0:0:0:0:0:0:0:1]/"])(
    "accepts the loopback address %s (a local emulator), with nothing to resolve",
    (raw) => {
      expect(checkEndpointUrl(raw, STRICT)).toMatchObject({ ok: true, hostname: null });
    },
  );

  it.each([
    ["http://169.254.169.254/latest/meta-data", /169\.254\.169\.254 is a cloud metadata service address/],
    ["https://169.254.169.254", /metadata/],
    ["http://[fd00:ec2::254]/", /metadata/],
    ["http://169.254.170.2/v2/credentials", /metadata/],
    ["https://100.100.100.200", /metadata/],
    ["https://169.254.1.1", /link-local address.*SPROUT_ALLOW_PRIVATE_ENDPOINTS=1/],
    ["https://10.0.0.5", /10\.0\.0\.5 is a private network address/],
    ["https://172.16.0.1", /private/],
    ["https://172.31.255.255", /private/],
    ["https://192.168.1.1", /private/],
    ["https://100.64.0.1", /private/],
    ["https://[fd12:3456::1]", /private/],
    ["https://[fe80::1]", /link-local/],
    ["http://0.0.0.0:4599", /unspecified/],
    ["http://[::]:4599", /unspecified/],
    ["https://224.0.0.1", /multicast/],
    ["https://255.255.255.255", /reserved/],
    ["https://192.0.2.10", /reserved/],
    ["http://8.8.8.8", /http is only for a local emulator on loopback; use https/],
    // numeric tricks: the URL parser would read each as 127.0.0.1 or 169.254.169.254
    ["http://0x7f000001:4599", /write an IP address as four decimal numbers \(127\.0\.0\.1\)/],
    ["http://2130706433:4599", /as "2130706433"/],
    ["http://0177.0.0.1:4599", /as "0177\.0\.0\.1"/],
    ["http://127.1:4599", /as "127\.1"/],
    ["http://127.0.0.1.:4599", /as "127\.0\.0\.1\."/],
    ["http://%31%32%37.0.0.1/", /four decimal numbers/],
    ["http://0251.0376.0251.0376/", /169\.254\.169\.254/],
    ["http://0/", /0\.0\.0\.0/],
    ["http://[::ffff:127.0.0.1]:4599", /IPv4 address written as IPv6/],
    ["http://[::ffff:a9fe:a9fe]/", /IPv4 address written as IPv6/],
    ["http://[::127.0.0.1]/", /IPv4 address written as IPv6/],
    ["https://[64:ff9b::a9fe:a9fe]/", /IPv4 address written as IPv6/],
    // credentials, other schemes, odd parts
    ["http://user:secret@127.0.0.1:4599", /must not carry credentials/],
    ["http://@127.0.0.1:4599", /must not carry credentials/],
    ["http://127.0.0.1%2f@evil.example/", /must not carry credentials/],
    ["ftp://127.0.0.1/", /must be an http\(s\) URL \(got ftp\)/],
    ["file:///etc/passwd", /got file/],
    ["not a url", /spaces/],
    ["cloudformation.amazonaws.com", /must be an http\(s\) URL such as/],
    ["https://cfn.example.com/?x=1", /query string/],
    ["https://cfn.example.com/#x", /fragment/],
  ])("refuses %s", (raw, why) => {
    const out = checkEndpointUrl(raw, STRICT);
    expect(out.ok).toBe(false);
    expect(!out.ok && out.reason).toMatch(why);
  });

  it("allows private and link-local addresses, over http too, only when the instance says so; metadata never", () => {
    expect(checkEndpointUrl("http://10.0.0.5:4566", LAN)).toMatchObject({ ok: true });
    expect(checkEndpointUrl("https://[fe80::1]", LAN)).toMatchObject({ ok: true });
    expect(checkEndpointUrl("http://169.254.169.254", LAN)).toMatchObject({ ok: false });
    expect(checkEndpointUrl("http://0x0a000005", LAN)).toMatchObject({ ok: false });
  });
});

describe("checkAddress (what a name resolves to)", () => {
  it.each([
    ["127.0.0.1", "http", null],
    ["::1", "http", null],
    ["52.94.1.1", "https", null],
    ["2600:1f18::1", "https", null],
    ["52.94.1.1", "http", /use https/],
    ["169.254.169.254", "https", /metadata/],
    ["::ffff:169.254.169.254", "https", /IPv4 address written as IPv6/],
    ["10.1.2.3", "https", /private/],
    ["fe80::1%eth0", "https", /link-local/],
    ["not-an-ip", "https", /not an IP address/],
  ] as const)("%s over %s", (address, scheme, why) => {
    const out = checkAddress(address, scheme, STRICT);
    if (why === null) expect(out).toBeNull();
    else expect(out).toMatch(why);
  });
});

describe("address parsing", () => {
  it.each([
    ["::", [0, 0, 0, 0, 0, 0, 0, 0]],
    ["::1", [0, 0, 0, 0, 0, 0, 0, 1]],
    ["1::", [1, 0, 0, 0, 0, 0, 0, 0]],
    ["fd00:ec2::254", [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254]],
    ["::ffff:1.2.3.4", [0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]],
    ["1:2:3:4:5:6:7:8", [1, 2, 3, 4, 5, 6, 7, 8]],
    ["1:2:3:4:5:6:1.2.3.4", [1, 2, 3, 4, 5, 6, 0x102, 0x304]],
  ])("parses %s", (text, groups) => {
    expect(parseIPv6(text)).toEqual(groups);
  });

  it.each(["1::2::3", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "12345::", "::1.2.3.256", "g::1"])("refuses %s", (text) => {
    expect(parseIPv6(text)).toBeNull();
  });

  it("classifies only plain dotted decimal as IPv4", () => {
    expect(classifyAddress("127.0.0.1")).toBe("loopback");
    expect(classifyAddress("0177.0.0.1")).toBeNull();
    expect(classifyAddress("127.1")).toBeNull();
    expect(classifyAddress("8.8.8.8")).toBe("public");
  });
});
