import { describe, expect, it } from "vitest";
import { CROSS_ORIGIN_MESSAGE, crossOriginRefusal, type TOriginInput } from "./origin";

const req = (over: Partial<TOriginInput>): TOriginInput => ({
  method: "POST",
  origin: null,
  secFetchSite: null,
  hosts: ["sprout.local:3000", null],
  ...over,
});

describe("cross-origin refusal", () => {
  it.each<[string, Partial<TOriginInput>, boolean]>([
    ["a GET from anywhere", { method: "GET", origin: "https://evil.example", secFetchSite: "cross-site" }, true],
    ["a script (no Origin, no Sec-Fetch-Site)", {}, true],
    ["the dashboard (same-origin)", { origin: "http://sprout.local:3000", secFetchSite: "same-origin" }, true],
    ["a typed-in navigation (none)", { secFetchSite: "none" }, true],
    ["another site", { origin: "https://evil.example", secFetchSite: "cross-site" }, false],
    ["a sibling subdomain", { origin: "https://x.sprout.local", secFetchSite: "same-site" }, false],
    ["an old browser from another site (Origin only)", { origin: "https://evil.example" }, false],
    ["an old browser from here (Origin only)", { origin: "http://sprout.local:3000" }, true],
    ["another port of the host", { origin: "http://sprout.local:4000" }, false],
    ["an opaque origin", { origin: "null" }, false],
    [
      "behind a proxy that sets X-Forwarded-Host",
      { origin: "https://sprout.example.com", hosts: ["10.0.0.5:3000", "sprout.example.com"] },
      true,
    ],
    ["a PATCH from another site", { method: "PATCH", origin: "https://evil.example" }, false],
    ["a DELETE from another site", { method: "DELETE", secFetchSite: "cross-site" }, false],
  ])("%s: allowed %s", (_what, over, allowed) => {
    expect(crossOriginRefusal(req(over))).toBe(allowed ? null : CROSS_ORIGIN_MESSAGE);
  });
});
