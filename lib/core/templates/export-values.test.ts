// An export's value as the planner compares it: equal expressions give one canonical text, and the
// text tells a value Sprout knows from one only AWS knows.
import { describe, expect, test } from "vitest";
import { analyzeTemplate, isKnownExportValue } from ".";

const yaml = (...ls: string[]) => `${ls.join("\n")}\n`;
const opts = { stage: "dev", stackName: "billing-api-dev", region: "eu-west-1", accountId: "123456789012", parameters: { Prefix: "ext" } };

/** The canonical text of `Value: <expr>` in a small template with a topic, a parameter and a condition. */
function valueOf(expr: string, extra: string[] = []): string {
  const text = yaml(
    "Transform: AWS::LanguageExtensions",
    "Parameters: { Prefix: { Type: String }, Names: { Type: CommaDelimitedList, Default: 'a,b,c' } }",
    "Conditions: { IsProd: !Equals [!Ref Prefix, prod] }",
    "Mappings: { Topics: { ext: { Name: ext-topic } } }",
    "Resources:",
    "  Topic:",
    "    Type: AWS::SNS::Topic",
    ...extra,
    "Outputs:",
    "  Out:",
    `    Value: ${expr}`,
    "    Export: { Name: out }",
  );
  return analyzeTemplate(text, opts).exports.out!;
}

const same: [string, string, string][] = [
  ["!Sub '${X}' is !Ref X", "!Sub '${Topic}'", "!Ref Topic"],
  ["a one-element Fn::Join is its element", "!Join ['', [!Ref Topic]]", "!Ref Topic"],
  ["Fn::Join and Fn::Sub of the same parts", "!Join [':', [arn, !Ref Topic]]", "!Sub 'arn:${Topic}'"],
  ["Fn::Sub with a variable is Fn::Sub with the text", "!Sub ['${T}-x', { T: !Ref Topic }]", "!Sub '${Topic}-x'"],
  ["${Resource.Attr} is Fn::GetAtt", "!Sub '${Topic.TopicName}'", "!GetAtt [Topic, TopicName]"],
  ["GetAtt's short forms are one", "!GetAtt Topic.TopicName", "{ 'Fn::GetAtt': [Topic, TopicName] }"],
  ["parameters are substituted", "!Sub '${Prefix}-${Topic}'", "!Join ['-', [ext, !Ref Topic]]"],
  [
    "Fn::Sub of literals and pseudo parameters is the literal",
    "!Sub 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:t'",
    "arn:aws:sns:eu-west-1:123456789012:t",
  ],
  ["${!Literal} is the literal ${Literal}", "!Sub '${!Literal}-${AWS::Region}'", "'${Literal}-eu-west-1'"],
  ["Fn::If takes the branch of the stage's condition", "!If [IsProd, !GetAtt Topic.TopicName, !Ref Topic]", "!Ref Topic"],
  ["Fn::Select of a literal list takes its item", "!Select [1, [x, !Ref Topic, y]]", "!Ref Topic"],
  ["Fn::FindInMap of literals is the literal", "!FindInMap [Topics, !Ref Prefix, Name]", "ext-topic"],
  ["Fn::Join of Fn::Split is known", "!Join ['+', !Split [',', 'a,b']]", "a+b"],
  ["AWS::NoValue drops a list item", "!Join [',', [a, !Ref AWS::NoValue, b]]", "a,b"],
  ["a number is its text", "42", "'42'"],
  ["Fn::Base64 of a literal is known", "!Base64 'hello'", "aGVsbG8="],
  ["Fn::Length (AWS::LanguageExtensions) of a list parameter", "{ 'Fn::Length': !Ref Names }", "'3'"],
  ["Fn::ToJsonString (AWS::LanguageExtensions) of literals", "{ 'Fn::ToJsonString': { a: [1, !Ref Prefix] } }", `'{"a":[1,"ext"]}'`],
  ["Fn::ImportValue keeps its resolved name", "!ImportValue { 'Fn::Sub': '${Prefix}-x' }", "{ 'Fn::ImportValue': ext-x }"],
];

describe("equal expressions give one canonical value", () => {
  test.each(same)("%s", (_name, a, b) => {
    expect(valueOf(a)).toBe(valueOf(b));
  });
});

describe("different values give different texts", () => {
  test.each([
    ["a resource's id and its attribute", "!Ref Topic", "!GetAtt Topic.TopicArn"],
    ["two literals", "arn:a", "arn:b"],
    ["the stage's region is part of the value", "!Sub '${AWS::Region}'", "us-east-1"],
  ])("%s", (_name, a, b) => {
    expect(valueOf(a)).not.toBe(valueOf(b));
  });
});

describe("the text tells a known value from one only AWS knows", () => {
  test.each([
    ["!Ref Topic", '{"Ref":"Topic"}', false],
    ["!Sub 'arn:${Topic}'", '{"Fn::Join":["",["arn:",{"Ref":"Topic"}]]}', false],
    ["!GetAZs ''", '{"Fn::GetAZs":"eu-west-1"}', false],
    ["!Select [0, !GetAZs '']", '{"Fn::Select":[0,{"Fn::GetAZs":"eu-west-1"}]}', false],
    ["!Cidr [10.0.0.0/16, 4, 8]", '{"Fn::Cidr":["10.0.0.0/16",4,8]}', false],
    ["!Sub '${Prefix}-topic'", '"ext-topic"', true],
    ["!Ref AWS::StackName", '"billing-api-dev"', true],
    ["'{{resolve:ssm:/billing/topic}}'", '{"Fn::Sub":"{{resolve:ssm:/billing/topic}}"}', false],
  ])("%s", (expr, text, known) => {
    expect(valueOf(expr)).toBe(text);
    expect(isKnownExportValue(text)).toBe(known);
  });

  test("texts not made by the reader (older states, tests) count as known", () => {
    expect(isKnownExportValue("Ref:Topic")).toBe(true);
    expect(isKnownExportValue("")).toBe(true);
  });
});
