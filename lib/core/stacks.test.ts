import { describe, expect, it } from "vitest";
import { checkStackNamePattern, stackNameFrom, stackOwnership, stackTags, stackTarget, type TStackGuard } from "./stacks";

const owner = { app: "shop", stage: "dev", service: "payments" };

describe("stack names", () => {
  it.each([
    [null, "payments-dev"],
    ["{service}-{stage}", "payments-dev"],
    ["{app}-{service}-{stage}", "shop-payments-dev"],
    ["Team7-{service}", "Team7-payments"],
  ])("pattern %s names the stack %s", (pattern, name) => {
    expect(stackNameFrom(pattern, owner)).toBe(name);
  });

  it("refuses a name CloudFormation would refuse, saying how to fix it", () => {
    expect(() => stackNameFrom(null, { ...owner, service: "9lives" })).toThrow(/"9lives-dev".*start with a letter.*stackNamePattern/);
    expect(() => stackNameFrom("{app}-{service}-{stage}", { ...owner, app: "a".repeat(63), service: "b".repeat(63) })).toThrow(
      /at most 128/,
    );
  });

  it.each([
    ["{app}-{service}-{stage}", null],
    ["{service}", null],
    ["{app}-{stage}", /must contain \{service\}/],
    ["{service}-{region}", /only \{app\}, \{service\} and \{stage\}/],
    ["{service}_{stage}", /only letters, digits, dashes/],
    ["-{service}", /must start with a letter/],
    ["1-{service}", /must start with a letter/],
  ])("pattern %s", (pattern, why) => {
    const out = checkStackNamePattern(pattern);
    if (why === null) expect(out).toBeNull();
    else expect(out).toMatch(why);
  });
});

describe("stackTarget", () => {
  const cfn = (endpoint: string | null, region: string | null = null) => ({ driver: "cloudformation", endpoint, region });
  it("keys real AWS by region, defaults resolved as the driver resolves them", () => {
    expect(stackTarget(cfn(null), {})).toEqual({ target: "aws", region: "us-east-1" });
    expect(stackTarget(cfn(null), { region: "eu-west-1" })).toEqual({ target: "aws", region: "eu-west-1" });
    expect(stackTarget(cfn(null, "ap-south-1"), { region: "eu-west-1" })).toEqual({ target: "aws", region: "ap-south-1" });
  });
  it("gives every spelling of one endpoint one key", () => {
    const keys = ["http://127.0.0.1:4599", "http://localhost:4599/", "http://[::1]:4599", "HTTP://LOCALHOST:4599"].map(
      (e) => stackTarget(cfn(e), {})!.target,
    );
    expect(new Set(keys)).toEqual(new Set(["endpoint:http://loopback:4599"]));
    expect(stackTarget(cfn(null), { endpoint: "http://127.0.0.1:4599" })!.target).toBe("endpoint:http://loopback:4599");
    expect(stackTarget(cfn("https://cfn.example.com"), {})!.target).toBe("endpoint:https://cfn.example.com:443");
  });
  it("has no shared target for the sandbox: its account is the stage's own", () => {
    expect(stackTarget({ driver: "sandbox", endpoint: null, region: null }, {})).toBeNull();
  });
});

describe("stackOwnership", () => {
  const guard = (g: Partial<TStackGuard> = {}): TStackGuard => ({ owner, held: false, adoptable: false, ...g });
  const tags = (app: string, stage = "dev", service = "payments") => ({
    "sprout:app": app,
    "sprout:stage": stage,
    "sprout:service": service,
  });

  it("takes a stack tagged for this app, stage and service", () => {
    expect(stackOwnership("payments-dev", { ...tags("shop"), team: "x" }, guard())).toEqual({ ok: true, adopted: false });
  });
  it.each([
    [tags("other"), /tagged for app "other" \(stage dev, service payments\), not for app "shop"/],
    [tags("shop", "prod"), /tagged for app "shop" \(stage prod/],
    [tags("shop", "dev", "billing"), /service billing\)/],
    [{ "sprout:app": "shop" }, /stage \?, service \?/],
  ])("refuses a stack tagged for someone else (%j), even when held or adoptable", (t, why) => {
    const out = stackOwnership("payments-dev", t, guard({ held: true, adoptable: true }));
    expect(out.ok).toBe(false);
    expect(!out.ok && out.reason).toMatch(why);
    expect(!out.ok && out.reason).toMatch(/stackNamePattern with \{app\}/);
  });
  it("takes an untagged stack only when Sprout's records hold it or the stage adopts it", () => {
    expect(stackOwnership("payments-dev", {}, guard({ held: true }))).toEqual({ ok: true, adopted: false });
    expect(stackOwnership("payments-dev", { team: "x" }, guard({ adoptable: true }))).toEqual({ ok: true, adopted: true });
    const out = stackOwnership("payments-dev", {}, guard());
    expect(!out.ok && out.reason).toMatch(/no sprout:app tag.*adds "payments" to the stage's adoptStacks setting/);
  });
});

describe("stackTags", () => {
  it("names the owner and keeps the stack's other tags", () => {
    expect(
      stackTags(owner, [
        { Key: "team", Value: "x" },
        { Key: "sprout:app", Value: "old" },
      ]),
    ).toEqual([
      { Key: "team", Value: "x" },
      { Key: "sprout:app", Value: "shop" },
      { Key: "sprout:stage", Value: "dev" },
      { Key: "sprout:service", Value: "payments" },
    ]);
  });
});
