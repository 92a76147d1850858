import { describe, expect, test } from "vitest";
import { planBuild } from ".";
import { seedLive, svc } from "./testing";

// A remove build (a closed pull request's stage) is a rollback to the empty release: every live
// service is removed, consumers first (R2 and D2), so that no export is dropped while imported.
describe("remove builds", () => {
  test("the seed: notify-job (the importer) before billing-api", () => {
    const result = planBuild({ kind: "remove", live: seedLive, target: {} });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.plan.steps.map((s) => [s.service, s.action, s.after])).toEqual([
      ["notify-job", "remove", []],
      ["billing-api", "remove", ["notify-job"]],
    ]);
  });

  test("a diamond: d, then b and c, then a", () => {
    const live = {
      a: svc("a1", { exports: { AOut: "Ref:A" } }),
      b: svc("b1", { imports: ["AOut"] }),
      c: svc("c1", { dependsOn: ["a"] }),
      d: svc("d1", { dependsOn: ["b", "c"] }),
    };
    const result = planBuild({ kind: "remove", live, target: {} });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.plan.steps.map((s) => [s.service, s.action, s.phase])).toEqual([
      ["d", "remove", 1],
      ["b", "remove", 2],
      ["c", "remove", 2],
      ["a", "remove", 3],
    ]);
  });

  test("nothing live: nothing to do", () => {
    expect(planBuild({ kind: "remove", live: {}, target: {} })).toEqual({ ok: true, plan: { steps: [], warnings: [] } });
  });
});
