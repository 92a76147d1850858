// What Fn::Or evaluates to for a stage, seen as a user sees it: the Output it guards exports, or
// does not, or is planned as exporting with a warning when only AWS can tell.
import { expect, test } from "vitest";
import { analyzeTemplate } from ".";

const yaml = (...ls: string[]) => `${ls.join("\n")}\n`;
const opts = { stage: "dev", stackName: "net-dev", region: "eu-west-1" };
const EU = "!Equals [!Ref AWS::Region, eu-west-1]";
const US = "!Equals [!Ref AWS::Region, us-east-1]";
const SSM = "!Equals [!Ref FromSsm, on]"; // a value AWS reads from Systems Manager when it deploys

const guarded = (condition: string) =>
  yaml(
    "Parameters: { FromSsm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: /flags/net } }",
    `Conditions: { Either: ${condition} }`,
    "Resources: { Topic: { Type: AWS::SNS::Topic } }",
    "Outputs: { Arn: { Condition: Either, Value: !Ref Topic, Export: { Name: net-topic } } }",
  );

test.each([
  ["true or false", `!Or [${EU}, ${US}]`, "exports"],
  ["false or true", `!Or [${US}, ${EU}]`, "exports"],
  ["false or false", `!Or [${US}, !Equals [a, b]]`, "disabled"],
  ["true or unknown: true, whatever AWS reads", `!Or [${EU}, ${SSM}]`, "exports"],
  ["false or unknown: only AWS can tell", `!Or [${US}, ${SSM}]`, "unknown"],
  ["of a named condition and a nested Fn::Or", `!Or [!Or [${US}, !Equals [x, y]], !Not [${US}]]`, "exports"],
])("Fn::Or %s", (_name, condition, expected) => {
  const analysis = analyzeTemplate(guarded(condition), opts);
  const outcome = Object.hasOwn(analysis.disabledExports, "net-topic")
    ? "disabled"
    : analysis.warnings.some((w) => w.code === "condition-unknown")
      ? "unknown"
      : "exports";
  expect(outcome).toBe(expected);
  expect(Object.keys(analysis.exports)).toEqual(expected === "disabled" ? [] : ["net-topic"]);
});
