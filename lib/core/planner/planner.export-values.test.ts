// The planner's rules for export values and conditional exports: a value change is refused only
// when it is certain (both values known and different), a change only AWS can judge is planned with
// a warning, and an import of an export disabled by its producer's condition is refused up front.
import { describe, expect, test } from "vitest";
import type { TServiceMap } from "@/lib/core/domain";
import { planBuild, type TPlanInput } from ".";
import { TOPIC, note, ok, refused, seedLive, step, svc } from "./testing";

type TRow = { name: string; input: TPlanInput; expected: unknown };
const rows: TRow[] = [
  {
    name: "known values that differ while imported: the value certainly changes, refused",
    input: {
      kind: "deploy",
      live: { p: svc("p1", { exports: { E: '"arn:topic-a"' } }), s: svc("s1", { imports: ["E"] }) },
      target: { p: svc("p2", { exports: { E: '"arn:topic-b"' } }) },
    },
    expected: refused(
      "export-still-imported",
      ["p", "s"],
      "p changes the value of export E, still imported by s (AWS refuses to update an export while it is imported): no single build can do this; first deploy s without the import, then p",
      ["E"],
    ),
  },
  {
    name: "an imported export's expression changes where only AWS knows the value: planned, AWS is the judge",
    input: {
      kind: "deploy",
      live: { "billing-api": svc("b1", { exports: { [TOPIC]: '{"Ref":"Topic"}' } }), "notify-job": svc("n1", { imports: [TOPIC] }) },
      target: { "billing-api": svc("b2", { exports: { [TOPIC]: '{"Fn::GetAtt":["Topic","TopicArn"]}' } }) },
    },
    expected: ok(
      [step("billing-api", "update", "b2", 1)],
      [
        note(
          "export-value-may-change",
          `billing-api changes the expression of export ${TOPIC}, still imported by notify-job; Sprout cannot tell whether its value changes, as it depends on values only AWS knows: AWS is the judge, and if the value changes it refuses billing-api's update (Export ${TOPIC} cannot be updated as it is in use by notify-job)`,
          ["billing-api", "notify-job"],
          [TOPIC],
        ),
      ],
    ),
  },
  {
    name: "a known value replaced by one only AWS knows: planned with the warning",
    input: {
      kind: "deploy",
      live: { p: svc("p1", { exports: { E: '"arn:aws:sns:us-east-1:000000000000:t"' } }), s: svc("s1", { imports: ["E"] }) },
      target: { p: svc("p2", { exports: { E: '{"Ref":"Topic"}' } }), s: svc("s2", { imports: ["E"] }) },
    },
    expected: ok(
      [step("p", "update", "p2", 1), step("s", "update", "s2", 2, ["p"])],
      [
        note(
          "export-value-may-change",
          "p changes the expression of export E, still imported by s; Sprout cannot tell whether its value changes, as it depends on values only AWS knows: AWS is the judge, and if the value changes it refuses p's update (Export E cannot be updated as it is in use by s)",
          ["p", "s"],
          ["E"],
        ),
      ],
    ),
  },
  {
    name: "an expression only AWS knows changing while its consumer lets go: consumer first (R2)",
    input: {
      kind: "deploy",
      live: { p: svc("p1", { exports: { E: '{"Ref":"Old"}' } }), s: svc("s1", { imports: ["E"] }) },
      target: { p: svc("p2", { exports: { E: '{"Ref":"New"}' } }), s: svc("s2") },
    },
    expected: ok(
      [step("s", "update", "s2", 1), step("p", "update", "p2", 2, ["s"])],
      [
        note("export-in-use", "p may change the value of export E, imported by s in the live state: s goes first", ["p", "s"], ["E"]),
        note("dependency-changed", "s stops importing E", ["s"], ["E"]),
      ],
    ),
  },
  {
    name: "equal canonical value texts are no change, whatever the template wrote",
    input: {
      kind: "deploy",
      live: { p: svc("p1", { exports: { E: '{"Ref":"Topic"}' } }), s: svc("s1", { imports: ["E"] }) },
      target: { p: svc("p2", { exports: { E: '{"Ref":"Topic"}' } }) },
    },
    expected: ok([step("p", "update", "p2", 1)]),
  },
  {
    name: "importing an export its producer disables by condition for this stage is refused up front",
    input: {
      kind: "deploy",
      live: {},
      target: {
        "billing-api": svc("b1", { disabledExports: { "ExtTopicArn-dev": "IsProd" } }),
        "notify-job": svc("n1", { imports: ["ExtTopicArn-dev"] }),
      },
    },
    expected: refused(
      "export-disabled",
      ["notify-job", "billing-api"],
      "notify-job imports ExtTopicArn-dev, which billing-api exports only when its condition IsProd is true; it is false for this stage: give this stage the parameter values that make IsProd true, or deploy notify-job without the import",
      ["ExtTopicArn-dev"],
    ),
  },
  {
    name: "a producer outside the manifest that disables the export refuses the consumer's deploy",
    input: {
      kind: "deploy",
      live: { "billing-api": svc("b1", { disabledExports: { X: "HasTopic" } }) },
      target: { "notify-job": svc("n1", { imports: ["X"] }) },
    },
    expected: refused(
      "export-disabled",
      ["notify-job", "billing-api"],
      "notify-job imports X, which billing-api exports only when its condition HasTopic is true; it is false for this stage: give this stage the parameter values that make HasTopic true, or deploy notify-job without the import",
      ["X"],
    ),
  },
  {
    name: "a producer whose new template disables an export still imported is refused, the condition named",
    input: {
      kind: "deploy",
      live: seedLive,
      target: { "billing-api": svc("billing-3", { disabledExports: { [TOPIC]: "IsProd" } }) },
    },
    expected: refused(
      "export-still-imported",
      ["billing-api", "notify-job"],
      `billing-api drops export ${TOPIC} (its condition IsProd is false for this stage), still imported by notify-job: no single build can do this; first deploy notify-job without the import, then billing-api`,
      [TOPIC],
    ),
  },
];

describe("planBuild, export values and conditions", () => {
  test.each(rows)("$name", ({ input, expected }) => {
    expect(planBuild(input)).toEqual(expected);
  });

  test("the plan does not depend on the order services are listed in", () => {
    const reversed = (map: TServiceMap) => Object.fromEntries(Object.entries(map).reverse());
    for (const { input } of rows) {
      expect(planBuild({ ...input, live: reversed(input.live), target: reversed(input.target) })).toEqual(planBuild(input));
    }
  });
});
