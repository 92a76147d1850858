import { describe, expect, it } from "vitest";
import { appFlag, buildsPerApp, freshWithin } from "./workers";

describe("builds per app", () => {
  it.each([
    { setting: null, poolSlots: 12, cap: 6 },
    { setting: null, poolSlots: 5, cap: 2 },
    { setting: null, poolSlots: 1, cap: 1 },
    { setting: null, poolSlots: 0, cap: 1 },
    { setting: 3, poolSlots: 12, cap: 3 },
    { setting: 40, poolSlots: 4, cap: 40 },
    { setting: 0, poolSlots: 4, cap: 1 },
  ])("setting $setting with $poolSlots slots in the pool: $cap at once", ({ setting, poolSlots, cap }) => {
    expect(buildsPerApp({ setting, poolSlots })).toBe(cap);
  });

  it("names an app's flag and a heartbeat's freshness", () => {
    expect(appFlag(7)).toBe("app:7");
    expect(freshWithin(5000)).toBe(15_000);
  });
});
