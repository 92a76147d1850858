import { describe, expect, test } from "vitest";
import type { TServiceMap } from "@/lib/core/domain";
import { formatPlanOrder, planBuild, type TPlanInput, type TPlanResult } from ".";
import { TOPIC, note, ok, refused, seedLive, seedRelease, step, svc } from "./testing";

// Diamond: b and c depend on a (an import, a dependsOn), d depends on both.
const diamond = (v: string): TServiceMap => ({
  a: svc(`a${v}`, { exports: { AOut: "Ref:A" } }),
  b: svc(`b${v}`, { imports: ["AOut"] }),
  c: svc(`c${v}`, { dependsOn: ["a"] }),
  d: svc(`d${v}`, { dependsOn: ["b", "c"] }),
});

type TRow = { name: string; input: TPlanInput; expected: unknown };
const rows: TRow[] = [
  {
    name: "seed rollback: consumer first, then the producer drops its export (D2 + R2)",
    input: { kind: "rollback", live: seedLive, target: seedRelease, targetLabel: "#1" },
    expected: ok(
      [step("notify-job", "update", "notify-1", 1), step("billing-api", "update", "billing-1", 2, ["notify-job"])],
      [
        note(
          "export-in-use",
          `billing-api drops export ${TOPIC}, imported by notify-job in the live state: notify-job goes first`,
          ["billing-api", "notify-job"],
          [TOPIC],
        ),
        note("dependency-changed", `notify-job imports ${TOPIC} now, not in #1`, ["notify-job"], [TOPIC]),
      ],
    ),
  },
  {
    name: "deploy from nothing: producer first (R1 + D1), creates",
    input: { kind: "deploy", live: {}, target: seedLive },
    expected: ok([step("billing-api", "create", "billing-2", 1), step("notify-job", "create", "notify-2", 2, ["billing-api"])]),
  },
  {
    name: "rollback re-adding an export its consumer imports: producer first (R1 beats D2)",
    input: {
      kind: "rollback",
      live: { "billing-api": svc("b2", { exports: { Y: "y" } }), "notify-job": svc("n2", { imports: ["Y"] }) },
      target: { "billing-api": svc("b1", { exports: { X: "x", Y: "y" } }), "notify-job": svc("n1", { imports: ["X", "Y"] }) },
      targetLabel: "#1",
    },
    expected: ok(
      [step("billing-api", "update", "b1", 1), step("notify-job", "update", "n1", 2, ["billing-api"])],
      [
        note(
          "edge-dropped",
          "billing-api re-adds export X that notify-job imports: billing-api must go first, against the usual reverse order",
          ["billing-api", "notify-job"],
        ),
        note("dependency-changed", "notify-job imports X in #1, not now", ["notify-job"], ["X"]),
      ],
    ),
  },
  {
    name: "a default edge closing a longer required path is dropped, the path named",
    input: {
      kind: "rollback",
      live: { p: svc("p2"), q: svc("q2"), s: svc("s2", { dependsOn: ["p"] }) },
      target: {
        p: svc("p1", { exports: { X: "x" } }),
        q: svc("q1", { exports: { Y: "y" }, imports: ["X"] }),
        s: svc("s1", { imports: ["Y"], dependsOn: ["p"] }),
      },
      targetLabel: "#2",
    },
    expected: ok(
      [step("p", "update", "p1", 1), step("q", "update", "q1", 2, ["p"]), step("s", "update", "s1", 3, ["q"])],
      [
        note(
          "edge-dropped",
          "p must go before s: p -> q -> s (p re-adds export X that q imports; q re-adds export Y that s imports), against the usual reverse order",
          ["p", "s"],
        ),
        note("dependency-changed", "q imports X in #2, not now", ["q"], ["X"]),
        note("dependency-changed", "s imports Y in #2, not now", ["s"], ["Y"]),
      ],
    ),
  },
  {
    name: "a default edge closing a cycle with required and kept default edges is dropped",
    input: {
      kind: "rollback",
      live: { a: svc("a2"), b: svc("b2", { dependsOn: ["c"] }), c: svc("c2", { dependsOn: ["a"] }) },
      target: {
        a: svc("a1", { exports: { X: "x" } }),
        b: svc("b1", { imports: ["X"], dependsOn: ["c"] }),
        c: svc("c1", { dependsOn: ["a"] }),
      },
      targetLabel: "#2",
    },
    expected: ok(
      [step("c", "update", "c1", 1), step("a", "update", "a1", 2, ["c"]), step("b", "update", "b1", 3, ["a"])],
      [
        note(
          "edge-dropped",
          "c must go before b: c -> a -> b (c goes before a by default; a re-adds export X that b imports), against the usual reverse order",
          ["c", "b"],
        ),
        note("dependency-changed", "b imports X in #2, not now", ["b"], ["X"]),
      ],
    ),
  },
  {
    name: "deploy dropping an export a consumer lets go of: consumer first (R2 beats D1)",
    input: {
      kind: "deploy",
      live: { p: svc("p1", { exports: { E1: "1", E2: "2" } }), s: svc("s1", { imports: ["E1", "E2"] }) },
      target: { p: svc("p2", { exports: { E2: "2" } }), s: svc("s2", { imports: ["E2"] }) },
    },
    expected: ok(
      [step("s", "update", "s2", 1), step("p", "update", "p2", 2, ["s"])],
      [
        note("export-in-use", "p drops export E1, imported by s in the live state: s goes first", ["p", "s"], ["E1"]),
        note("edge-dropped", "p drops export E1 that s imports: s must go first, against the usual producers-first order", ["s", "p"]),
        note("dependency-changed", "s stops importing E1", ["s"], ["E1"]),
      ],
    ),
  },
  {
    name: "diamond deploy: producers first, parallel branches share a phase",
    input: { kind: "deploy", live: diamond("1"), target: diamond("2") },
    expected: ok([
      step("a", "update", "a2", 1),
      step("b", "update", "b2", 2, ["a"]),
      step("c", "update", "c2", 2, ["a"]),
      step("d", "update", "d2", 3, ["b", "c"]),
    ]),
  },
  {
    name: "diamond rollback: the reverse of the deployment",
    input: { kind: "rollback", live: diamond("2"), target: diamond("1") },
    expected: ok([
      step("d", "update", "d1", 1),
      step("b", "update", "b1", 2, ["d"]),
      step("c", "update", "c1", 2, ["d"]),
      step("a", "update", "a1", 3, ["b", "c"]),
    ]),
  },
  {
    name: "promote orders like a deploy",
    input: { kind: "promote", live: {}, target: diamond("1") },
    expected: ok([
      step("a", "create", "a1", 1),
      step("b", "create", "b1", 2, ["a"]),
      step("c", "create", "c1", 2, ["a"]),
      step("d", "create", "d1", 3, ["b", "c"]),
    ]),
  },
  {
    name: "rollback removes a service the faulty build added, after its consumers",
    input: {
      kind: "rollback",
      live: {
        "billing-api": svc("b1"),
        "promo-api": svc("p1", { exports: { PromoArn: "Ref:Promo" } }),
        "notify-job": svc("n2", { imports: ["PromoArn"] }),
      },
      target: { "billing-api": svc("b1"), "notify-job": svc("n1") },
      targetLabel: "#4",
    },
    expected: ok(
      [
        step("billing-api", "unchanged", "b1", 1),
        step("notify-job", "update", "n1", 1),
        step("promo-api", "remove", null, 2, ["notify-job"]),
      ],
      [
        note(
          "export-in-use",
          "promo-api is removed, dropping export PromoArn, imported by notify-job in the live state: notify-job goes first",
          ["promo-api", "notify-job"],
          ["PromoArn"],
        ),
        note("dependency-changed", "notify-job imports PromoArn now, not in #4", ["notify-job"], ["PromoArn"]),
      ],
    ),
  },
  {
    name: "rollback creates a service only in the release",
    input: {
      kind: "rollback",
      live: { "billing-api": svc("b2", { exports: { [TOPIC]: "t" } }) },
      target: { "billing-api": svc("b1", { exports: { [TOPIC]: "t" } }), "audit-job": svc("a1", { imports: [TOPIC] }) },
    },
    expected: ok([step("audit-job", "create", "a1", 1), step("billing-api", "update", "b1", 1)]),
  },
  {
    name: "unchanged steps are shown and keep the order through them",
    input: {
      kind: "deploy",
      live: { a: svc("a1"), b: svc("b1", { dependsOn: ["a"] }), c: svc("c1", { dependsOn: ["b"] }) },
      target: { a: svc("a2"), b: svc("b1", { dependsOn: ["a"] }), c: svc("c2", { dependsOn: ["b"] }) },
    },
    expected: ok([step("a", "update", "a2", 1), step("b", "unchanged", "b1", 2, ["a"]), step("c", "update", "c2", 3, ["b"])]),
  },
  {
    name: "deploy acts on its manifest only; services outside it get no step",
    input: {
      kind: "deploy",
      live: { ...seedLive, "search-api": svc("s1", { dependsOn: ["billing-api"] }) },
      target: { "notify-job": svc("notify-3", { imports: [TOPIC] }) },
    },
    expected: ok([step("notify-job", "update", "notify-3", 1)]),
  },
  {
    name: "an export moving between services: the old owner lets go first",
    input: {
      kind: "deploy",
      live: { a: svc("a1", { exports: { X: "x" } }), b: svc("b1") },
      target: { a: svc("a2"), b: svc("b2", { exports: { X: "x" } }) },
    },
    expected: ok([step("a", "update", "a2", 1), step("b", "update", "b2", 2, ["a"])]),
  },
  {
    name: "changing the value of an imported export is refused",
    input: {
      kind: "deploy",
      live: { "billing-api": svc("b1", { exports: { [TOPIC]: "Ref:TopicA" } }), "notify-job": svc("n1", { imports: [TOPIC] }) },
      target: { "billing-api": svc("b2", { exports: { [TOPIC]: "Ref:TopicB" } }) },
    },
    expected: refused(
      "export-still-imported",
      ["billing-api", "notify-job"],
      `billing-api changes the value of export ${TOPIC}, still imported by notify-job (AWS refuses to update an export while it is imported): no single build can do this; first deploy notify-job without the import, then billing-api`,
      [TOPIC],
    ),
  },
  {
    name: "changing an export's value is fine once its consumer lets go first",
    input: {
      kind: "deploy",
      live: { p: svc("p1", { exports: { E: "Ref:Old" } }), s: svc("s1", { imports: ["E"] }) },
      target: { p: svc("p2", { exports: { E: "Ref:New" } }), s: svc("s2") },
    },
    expected: ok(
      [step("s", "update", "s2", 1), step("p", "update", "p2", 2, ["s"])],
      [
        note("export-in-use", "p changes the value of export E, imported by s in the live state: s goes first", ["p", "s"], ["E"]),
        note("dependency-changed", "s stops importing E", ["s"], ["E"]),
      ],
    ),
  },
  {
    name: "dropping an export still imported by a service outside the manifest is refused",
    input: { kind: "deploy", live: seedLive, target: { "billing-api": svc("billing-3") } },
    expected: refused(
      "export-still-imported",
      ["billing-api", "notify-job"],
      `billing-api drops export ${TOPIC}, still imported by notify-job: no single build can do this; first deploy notify-job without the import, then billing-api`,
      [TOPIC],
    ),
  },
  {
    name: "rollback whose release still imports an export the rollback removes is refused",
    input: {
      kind: "rollback",
      live: { a: svc("a2", { exports: { X: "x" } }), b: svc("b2", { imports: ["X"] }) },
      target: { b: svc("b1", { imports: ["X"] }) },
    },
    expected: refused(
      "export-still-imported",
      ["a", "b"],
      "a is removed, dropping export X, still imported by b: no single build can do this; first deploy b without the import, then a",
      ["X"],
    ),
  },
  {
    name: "importing an export no other service will export is refused",
    input: { kind: "deploy", live: {}, target: { a: svc("a1", { exports: { X: "x" }, imports: ["X"] }) } },
    expected: refused("missing-export", ["a"], "a imports X, which no other service exports after this build", ["X"]),
  },
  {
    name: "adding an export another service still holds is refused",
    input: { kind: "deploy", live: { a: svc("a1", { exports: { X: "x" } }) }, target: { b: svc("b1", { exports: { X: "x" } }) } },
    expected: refused(
      "duplicate-export",
      ["b", "a"],
      "b adds export X, which a still exports: export names are unique per account and region",
      ["X"],
    ),
  },
  {
    name: "required edges in a cycle (R2 both ways) are refused",
    input: {
      kind: "deploy",
      live: { a: svc("a1", { exports: { A: "a" }, imports: ["B"] }), b: svc("b1", { exports: { B: "b" }, imports: ["A"] }) },
      target: { a: svc("a2"), b: svc("b2") },
    },
    expected: refused(
      "cycle",
      ["a", "b"],
      "no order satisfies AWS: a -> b -> a (b drops export B that a imports; a drops export A that b imports); split this into two builds",
    ),
  },
  {
    name: "a dependsOn cycle is refused, services named in order",
    input: {
      kind: "deploy",
      live: {},
      target: { a: svc("a1", { dependsOn: ["c"] }), b: svc("b1", { dependsOn: ["a"] }), c: svc("c1", { dependsOn: ["b"] }) },
    },
    expected: refused(
      "dependency-cycle",
      ["a", "c", "b"],
      "services depend on each other in a cycle: a -> c -> b -> a (a dependsOn c; c dependsOn b; b dependsOn a)",
    ),
  },
  {
    name: "a rollback whose live services import each other is refused, imports named",
    input: {
      kind: "rollback",
      live: { a: svc("a2", { exports: { A: "a" }, imports: ["B"] }), b: svc("b2", { exports: { B: "b" }, imports: ["A"] }) },
      target: { a: svc("a1", { exports: { A: "a" }, imports: ["B"] }), b: svc("b1", { exports: { B: "b" }, imports: ["A"] }) },
    },
    expected: refused(
      "dependency-cycle",
      ["a", "b"],
      "services depend on each other in a cycle: a -> b -> a (a imports B from b; b imports A from a)",
    ),
  },
  {
    name: "a cycle only among services outside the manifest does not block a deploy",
    input: {
      kind: "deploy",
      live: { x: svc("x1", { dependsOn: ["y"] }), y: svc("y1", { dependsOn: ["x"] }), z: svc("z1") },
      target: { z: svc("z2") },
    },
    expected: ok([step("z", "update", "z2", 1)]),
  },
  {
    name: "a dependsOn on a service that exists nowhere is refused",
    input: { kind: "deploy", live: { a: svc("a1") }, target: { b: svc("b1", { dependsOn: ["a", "ghost"] }) } },
    expected: refused("unknown-dependency", ["b", "ghost"], "b depends on ghost, which is neither live nor in this build"),
  },
  {
    name: "a rollback to a release with a dependsOn on a service that exists nowhere is refused",
    input: { kind: "rollback", live: { a: svc("a2") }, target: { a: svc("a1", { dependsOn: ["ghost"] }) } },
    expected: refused("unknown-dependency", ["a", "ghost"], "a depends on ghost, which is neither live nor in this build"),
  },
  {
    name: "deploy changing dependsOn and imports warns dependency-changed",
    input: {
      kind: "deploy",
      live: { "billing-api": svc("b1", { exports: { X: "x", Y: "y" } }), "notify-job": svc("n1", { imports: ["X"] }) },
      target: { "notify-job": svc("n2", { imports: ["X", "Y"], dependsOn: ["billing-api"] }) },
    },
    expected: ok(
      [step("notify-job", "update", "n2", 1)],
      [note("dependency-changed", "notify-job starts importing Y; starts depending on billing-api", ["notify-job"], ["Y"])],
    ),
  },
];

describe("planBuild", () => {
  test.each(rows)("$name", ({ input, expected }) => {
    expect(planBuild(input)).toEqual(expected);
  });

  test("the plan does not depend on the order services are listed in", () => {
    const reversed = (map: TServiceMap) => Object.fromEntries(Object.entries(map).reverse());
    for (const { input } of rows) {
      const again: TPlanInput = { ...input, live: reversed(input.live), target: reversed(input.target) };
      expect(planBuild(again)).toEqual(planBuild(input));
    }
  });

  test("a service named like an Object.prototype key is an ordinary service", () => {
    const result = planBuild({ kind: "deploy", live: {}, target: { constructor: svc("c1") } });
    expect(result).toEqual(ok([step("constructor", "create", "c1", 1)]));
  });
});

describe("formatPlanOrder", () => {
  const plan = (result: TPlanResult) => {
    if (!result.ok) throw new Error(result.error.message);
    return result.plan;
  };

  test("lists the acting steps in run order", () => {
    expect(formatPlanOrder(plan(planBuild({ kind: "rollback", live: seedLive, target: seedRelease })))).toBe(
      "1. notify-job  2. billing-api",
    );
  });

  test("omits unchanged steps", () => {
    const live = { a: svc("a1"), b: svc("b1", { dependsOn: ["a"] }), c: svc("c1", { dependsOn: ["b"] }) };
    const target = { ...live, a: svc("a2"), c: svc("c2", { dependsOn: ["b"] }) };
    expect(formatPlanOrder(plan(planBuild({ kind: "deploy", live, target })))).toBe("1. a  2. c");
  });
});
