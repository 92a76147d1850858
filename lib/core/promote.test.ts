import { describe, expect, it } from "vitest";
import { promotedParameters, promoteRefusal } from "./promote";

describe("promote", () => {
  it("promotes only successful builds, and says why not", () => {
    expect(promoteRefusal({ number: 7, status: "success" }, "dev")).toBeNull();
    expect(promoteRefusal({ number: 7, status: "failed" }, "dev")).toBe("Build #7 of dev failed; only a successful build can be promoted.");
    expect(promoteRefusal({ number: 8, status: "running" }, "dev")).toBe(
      "Build #8 of dev is still running; only a successful build can be promoted.",
    );
  });

  it("leaves the source stage's values behind, keeps the manifest's, and lets the target stage's win", () => {
    const source = { LogRetentionDays: "7", MemorySize: "512", Env: "dev" };
    expect(promotedParameters(source, { LogRetentionDays: "7", Env: "dev" }, { LogRetentionDays: "30" })).toEqual({
      MemorySize: "512",
      LogRetentionDays: "30",
    });
    expect(promotedParameters(source, undefined, undefined)).toEqual(source);
  });
});
