import { describe, expect, it } from "vitest";
import type { TServiceMap } from "./domain";
import { formatPlanOrder } from "./planner";
import { seedLive, seedRelease, svc, TOPIC } from "./planner/testing";
import { partialRollback, type TPartialRollback } from "./partial-rollback";

const run = (live: TServiceMap, release: TServiceMap, services: string[]) => partialRollback({ live, release, services, label: "#12" });

function ok(result: TPartialRollback) {
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result;
}

describe("partial rollback closure", () => {
  it("the seed, billing-api alone: notify-job moves with it, named with the reason, and goes first", () => {
    const r = ok(run(seedLive, seedRelease, ["billing-api"]));
    expect(r.services).toEqual(["billing-api", "notify-job"]);
    expect(r.moved).toEqual([{ service: "notify-job", reason: `notify-job imports ${TOPIC}, which billing-api #12 does not export` }]);
    expect(r.target).toEqual({ "billing-api": "billing-1", "notify-job": "notify-1" });
    expect(formatPlanOrder(r.plan)).toBe("1. notify-job  2. billing-api");
  });

  it("the seed, notify-job alone: nothing else moves; billing-api keeps its live artifact and its export", () => {
    const r = ok(run(seedLive, seedRelease, ["notify-job"]));
    expect(r.moved).toEqual([]);
    expect(r.target).toEqual({ "billing-api": "billing-2", "notify-job": "notify-1" });
    expect(Object.fromEntries(r.plan.steps.map((s) => [s.service, s.action]))).toEqual({
      "billing-api": "unchanged",
      "notify-job": "update",
    });
  });

  it("restoring a consumer whose #N artifact imports what only the producer's #N exports brings the producer, first", () => {
    const r = ok(run(seedRelease, seedLive, ["notify-job"]));
    expect(r.moved).toEqual([
      { service: "billing-api", reason: `notify-job #12 imports ${TOPIC}, which billing-api's live artifact does not export` },
    ]);
    expect(formatPlanOrder(r.plan)).toBe("1. billing-api  2. notify-job");
  });

  it("every service outside the closure keeps its live artifact (an unchanged step)", () => {
    const live = { ...seedLive, frontend: svc("frontend-3") };
    const release = { ...seedRelease, frontend: svc("frontend-1") };
    const r = ok(run(live, release, ["billing-api"]));
    expect(r.target.frontend).toBe("frontend-3");
    expect(r.plan.steps.find((s) => s.service === "frontend")!.action).toBe("unchanged");
  });

  it("a consumer absent from #N's release moves by being removed; one only in the release is created", () => {
    const live = { ...seedLive, "analytics-job": svc("analytics-1", { imports: [TOPIC] }) };
    const r = ok(run(live, { ...seedRelease, search: svc("search-1") }, ["billing-api"]));
    expect(r.moved.map((m) => m.service)).toEqual(["analytics-job", "notify-job"]);
    expect(r.moved[0]!.reason).toBe(`analytics-job imports ${TOPIC}, which billing-api #12 does not export`);
    expect(r.target).toEqual({ "billing-api": "billing-1", "notify-job": "notify-1" });
    expect(r.plan.steps.find((s) => s.service === "analytics-job")!.action).toBe("remove");
    expect(r.plan.steps.find((s) => s.service === "search")).toBeUndefined();
    const created = ok(run(live, { ...seedRelease, search: svc("search-1") }, ["search"]));
    expect(created.target.search).toBe("search-1");
    expect(created.plan.steps.find((s) => s.service === "search")!.action).toBe("create");
  });

  it("follows the chain: each moved service may bring the next", () => {
    const live = {
      a: svc("a-2", { exports: { A: '"a2"' } }),
      b: svc("b-2", { imports: ["A"], exports: { B: '"b2"' } }),
      c: svc("c-2", { imports: ["B"] }),
      d: svc("d-2"),
    };
    const release = { a: svc("a-1"), b: svc("b-1"), c: svc("c-1"), d: svc("d-1") };
    const r = ok(run(live, release, ["a"]));
    expect(r.moved).toEqual([
      { service: "b", reason: "b imports A, which a #12 does not export" },
      { service: "c", reason: "c imports B, which b #12 does not export" },
    ]);
    expect(r.services).toEqual(["a", "b", "c"]);
    expect(r.target.d).toBe("d-2");
    expect(formatPlanOrder(r.plan)).toBe("1. c  2. b  3. a");
  });

  it("an export whose value #N changes moves its live importers along", () => {
    const live = { p: svc("p-2", { exports: { X: '"v2"' } }), c: svc("c-2", { imports: ["X"] }) };
    const release = { p: svc("p-1", { exports: { X: '"v1"' } }), c: svc("c-1") };
    const r = ok(run(live, release, ["p"]));
    expect(r.moved).toEqual([{ service: "c", reason: "c imports X, whose value p #12 changes" }]);
    expect(formatPlanOrder(r.plan)).toBe("1. c  2. p");
  });

  it("an export moving back to its #N owner moves the service exporting it now", () => {
    const live = { p: svc("p-2"), q: svc("q-2", { exports: { X: '"q"' } }) };
    const release = { p: svc("p-1", { exports: { X: '"p"' } }), q: svc("q-1") };
    const r = ok(run(live, release, ["p"]));
    expect(r.moved).toEqual([{ service: "q", reason: "p #12 exports X, which q exports now (export names are unique)" }]);
    expect(formatPlanOrder(r.plan)).toBe("1. q  2. p");
  });

  it("refuses a combination that no single pass can do, naming the service that had to move", () => {
    // c's #12 artifact still imports X, whose value p #12 changes: AWS refuses p's update while c imports it
    const live = { p: svc("p-2", { exports: { X: '"v2"' } }), c: svc("c-2", { imports: ["X"] }) };
    const release = { p: svc("p-1", { exports: { X: '"v1"' } }), c: svc("c-1", { imports: ["X"] }) };
    const r = run(live, release, ["p"]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe("no-single-pass");
    expect(r.message).toMatch(
      /^No single build restores p \(with c, which must move with it\) to #12: p changes the value of export X, still imported by c/,
    );
    expect(r.message).toMatch(/Roll back the whole release, or split the change into two builds\.$/);
  });

  it("ignores imports of names the app never exported (stacks outside the app)", () => {
    const live = { p: svc("p-2", { imports: ["Outside"] }) };
    const r = ok(run(live, { p: svc("p-1", { imports: ["Outside"] }) }, ["p"]));
    expect(r.moved).toEqual([]);
  });

  it("refuses unknown services and a pick that changes nothing", () => {
    expect(run(seedLive, seedRelease, ["billing-api", "nope"])).toEqual({
      ok: false,
      code: "unknown-service",
      message: "nope is neither live nor part of #12's release: pick among billing-api and notify-job.",
    });
    const same = { ...seedLive, frontend: svc("frontend-1") };
    expect(run(same, { ...seedRelease, frontend: svc("frontend-1") }, ["frontend"])).toEqual({
      ok: false,
      code: "nothing-to-restore",
      message: "frontend already runs as in #12: nothing to roll back.",
    });
  });
});
