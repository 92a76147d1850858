// The cases end to end in the pure core: templates read for a stage, then planned.
import { describe, expect, test } from "vitest";
import { planBuild } from "@/lib/core/planner";
import { serviceState, type TAnalyzeOptions } from ".";

const yaml = (...ls: string[]) => `${ls.join("\n")}\n`;
const producer = (value: string, more: string[] = []) =>
  yaml(
    "Parameters: { Env: { Type: String, Default: dev } }",
    "Conditions: { IsProd: !Equals [!Ref Env, prod] }",
    "Resources:",
    "  Topic:",
    "    Type: AWS::SNS::Topic",
    "Outputs:",
    "  TopicArn:",
    `    Value: ${value}`,
    "    Export: { Name: !Sub 'ExtTopicArn-${Env}' }",
    ...more,
  );
const consumer = yaml(
  "Resources:",
  "  Sub:",
  "    Type: AWS::SNS::Subscription",
  "    Properties: { TopicArn: !ImportValue ExtTopicArn-dev }",
);
const dev = (service: string): TAnalyzeOptions => ({ stage: "dev", stackName: `${service}-dev`, service });
const state = (text: string, artifact: string, service: string, parameters?: Record<string, string>) =>
  serviceState(text, [], artifact, { ...dev(service), parameters });

describe("templates planned", () => {
  test("a producer rewriting `!Ref Topic` as `!Sub '${Topic}'` is no change of its imported export", () => {
    const live = { "billing-api": state(producer("!Ref Topic"), "b1", "billing-api"), "notify-job": state(consumer, "n1", "notify-job") };
    const result = planBuild({ kind: "deploy", live, target: { "billing-api": state(producer("!Sub '${Topic}'"), "b2", "billing-api") } });
    expect(result).toEqual({
      ok: true,
      plan: { steps: [{ service: "billing-api", action: "update", artifact: "b2", after: [], phase: 1 }], warnings: [] },
    });
  });

  test("an import of an export whose Output condition is false for the stage is refused up front, naming the condition", () => {
    const conditional = producer("!Ref Topic").replace("  TopicArn:\n", "  TopicArn:\n    Condition: IsProd\n");
    const result = planBuild({
      kind: "deploy",
      live: {},
      target: { "billing-api": state(conditional, "b1", "billing-api"), "notify-job": state(consumer, "n1", "notify-job") },
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: "export-disabled",
        message:
          "notify-job imports ExtTopicArn-dev, which billing-api exports only when its condition IsProd is true; it is false for this stage: give this stage the parameter values that make IsProd true, or deploy notify-job without the import",
      },
    });
  });

  test("a literal value changing under an importer is refused; one only AWS knows is planned with a warning", () => {
    const live = { "billing-api": state(producer("arn:one"), "b1", "billing-api"), "notify-job": state(consumer, "n1", "notify-job") };
    const literal = planBuild({ kind: "deploy", live, target: { "billing-api": state(producer("arn:two"), "b2", "billing-api") } });
    expect(literal).toMatchObject({ ok: false, error: { code: "export-still-imported" } });
    const unknown = planBuild({ kind: "deploy", live, target: { "billing-api": state(producer("!Ref Topic"), "b2", "billing-api") } });
    expect(unknown).toMatchObject({ ok: true, plan: { warnings: [{ code: "export-value-may-change", exports: ["ExtTopicArn-dev"] }] } });
  });

  test("an export named __proto__ is an ordinary export", () => {
    const text = yaml("Resources: { T: { Type: AWS::SNS::Topic } }", "Outputs: { A: { Value: x, Export: { Name: __proto__ } } }");
    expect(Object.keys(state(text, "a1", "odd").exports)).toEqual(["__proto__"]);
  });
});
