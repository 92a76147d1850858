// A template whose sections, intrinsic functions or loops have the wrong shape: refused with the
// place, what was expected, and (where there is one) the fix. One row per message.
import { describe, expect, test } from "vitest";
import { TemplateError, analyzeTemplate } from ".";

const yaml = (...ls: string[]) => `${ls.join("\n")}\n`;
const opts = { stage: "dev", stackName: "billing-api-dev" };
const topic = ["Resources:", "  Topic:", "    Type: AWS::SNS::Topic"];
/** A template exporting `expr` as the name of Outputs.Out's export (line 8, after `before`). */
const nameOf = (expr: string, before: string[] = []) =>
  yaml(...before, ...topic, "Outputs:", "  Out:", "    Value: x", "    Export:", `      Name: ${expr}`);
const loop = (...body: string[]) => yaml("Transform: AWS::LanguageExtensions", "Resources:", "  Topic: { Type: AWS::SNS::Topic }", ...body);

const rows: [string, string, number | null, string][] = [
  // YAML
  ["an alias without its anchor", yaml(...topic, "Metadata: *nope"), 4, "YAML alias *nope names no anchor &nope before it"],
  [
    "a mapping key that is a list",
    yaml(...topic, "Metadata:", "  ? [a, b]", "  : c"),
    5,
    "a mapping key must be a plain string, not a mapping or a list",
  ],
  // sections
  ["Mappings not a mapping", yaml("Mappings: [a]", ...topic), 1, "Mappings: must be a mapping"],
  ["Conditions not a mapping", yaml("Conditions: [a]", ...topic), 1, "Conditions: must be a mapping"],
  ["a resource that is not a mapping", yaml(...topic, "  Queue: AWS::SQS::Queue"), 4, "Resources.Queue: must be a mapping with a Type"],
  [
    "an output without a Value",
    yaml(...topic, "Outputs:", "  Out: { Export: { Name: x } }"),
    5,
    "Outputs.Out: must be a mapping with a Value",
  ],
  [
    "an export without a Name",
    yaml(...topic, "Outputs:", "  Out: { Value: x, Export: x }"),
    5,
    "Outputs.Out.Export: must be a mapping with a Name (Export: { Name: ... })",
  ],
  [
    "an output's Condition that is not a name",
    yaml(...topic, "Outputs:", "  Out: { Condition: [a], Value: x, Export: { Name: x } }"),
    5,
    "Outputs.Out.Condition: must name a condition of Conditions",
  ],
  [
    "a resource's Condition that is not a name",
    yaml(...topic, "    Condition: [a]"),
    4,
    "Resources.Topic.Condition: must name a condition of Conditions",
  ],
  [
    "a Transform that is not a name",
    yaml("Transform: [[a]]", ...topic),
    1,
    "Transform[0]: must be a transform's name, such as AWS::Serverless-2016-10-31",
  ],
  // intrinsic functions
  ["an export name that is a mapping", nameOf("{ a: b }"), 8, "Outputs.Out.Export.Name: must be a string, not a mapping"],
  ["Ref of a list", nameOf("!Ref [a]"), 8, "Outputs.Out.Export.Name.Ref: must name a Parameter, a resource or a pseudo parameter"],
  [
    "Fn::GetAtt of one item",
    nameOf("!GetAtt [Topic]"),
    8,
    "Outputs.Out.Export.Name.Fn::GetAtt: must be a list of two items: [LogicalId, Attribute]",
  ],
  [
    "Fn::Sub of a number",
    nameOf("!Sub [1, {}]"),
    8,
    "Outputs.Out.Export.Name.Fn::Sub: must be a string, or a list of a string and a mapping of variables",
  ],
  [
    "Fn::Sub variables in a list",
    nameOf("!Sub [x, [a]]"),
    8,
    "Outputs.Out.Export.Name.Fn::Sub[1]: must be a mapping of variable names to values",
  ],
  [
    "Fn::Sub of a mapping variable",
    nameOf("!Sub ['${A}', { A: { b: c } }]"),
    8,
    "Outputs.Out.Export.Name.Fn::Sub: ${A} must be a string, not a mapping",
  ],
  [
    "Fn::Join of one item",
    nameOf("!Join [',']"),
    8,
    "Outputs.Out.Export.Name.Fn::Join: must be a list of two items: [separator, [values]]",
  ],
  ["Fn::Join with a list separator", nameOf("!Join [[a], [b]]"), 8, "Outputs.Out.Export.Name.Fn::Join[0]: the separator must be a string"],
  [
    "Fn::Join of a mapping",
    nameOf("!Join [',', [a, { b: c }]]"),
    8,
    "Outputs.Out.Export.Name.Fn::Join[1][1]: each value that Fn::Join joins must be a string, not a mapping",
  ],
  ["Fn::Select of a string", nameOf("!Select [0, abc]"), 8, "Outputs.Out.Export.Name.Fn::Select[1]: must be a list to select from"],
  [
    "Fn::FindInMap of two keys",
    nameOf("!FindInMap [M, a]"),
    8,
    "Outputs.Out.Export.Name.Fn::FindInMap: must be a list [MapName, TopLevelKey, SecondLevelKey] (and { DefaultValue: ... } with AWS::LanguageExtensions)",
  ],
  [
    "Fn::FindInMap with a fourth item that is not DefaultValue",
    nameOf("!FindInMap [M, a, b, c]", ["Transform: AWS::LanguageExtensions", "Mappings: { M: { a: { c: d } } }"]),
    10,
    "Outputs.Out.Export.Name.Fn::FindInMap[3]: must be a mapping { DefaultValue: ... }",
  ],
  [
    "Mappings without the map",
    nameOf("!FindInMap [M, a, b]"),
    8,
    "Outputs.Out.Export.Name.Fn::FindInMap: Mappings has no map M: add it to Mappings, or give Fn::FindInMap a DefaultValue (with the AWS::LanguageExtensions transform)",
  ],
  [
    "Fn::If of two items",
    nameOf("!If [C, a]"),
    8,
    "Outputs.Out.Export.Name.Fn::If: must be a list [ConditionName, value if true, value if false]",
  ],
  [
    "Fn::Length of a string",
    nameOf("{ 'Fn::Length': abc }", ["Transform: AWS::LanguageExtensions"]),
    9,
    "Outputs.Out.Export.Name.Fn::Length: must be a list, or an intrinsic function that returns a list",
  ],
  [
    "Fn::ToJsonString of a string",
    nameOf("{ 'Fn::ToJsonString': abc }", ["Transform: AWS::LanguageExtensions"]),
    9,
    "Outputs.Out.Export.Name.Fn::ToJsonString: must be a mapping or a list",
  ],
  // conditions
  [
    "Fn::And of nothing",
    nameOf("!If [A, a, b]", ["Conditions: { A: !And [] }"]),
    1,
    "Conditions.A.Fn::And: Fn::And takes a list of conditions (Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition)",
  ],
  [
    "Condition of a list",
    nameOf("!If [A, a, b]", ["Conditions: { A: { Condition: [B] } }"]),
    1,
    "Conditions.A.Condition: must name a condition",
  ],
  [
    "conditions chained more than 500 deep",
    nameOf("!If [C0, a, b]", [
      "Conditions:",
      ...Array.from({ length: 501 }, (_, i) => `  C${i}: !Condition C${i + 1}`),
      "  C501: !Equals [a, a]",
    ]),
    501,
    "Conditions.C499: expressions nest more than 500 levels deep, counting the conditions they refer to: simplify them",
  ],
  // Fn::ForEach
  [
    "an identifier with a dash",
    loop("  Fn::ForEach::T:", "    - my-id", "    - [a]", "    - T${my-id}: { Type: AWS::SNS::Topic }"),
    5,
    "Resources.Fn::ForEach::T[0]: must be an identifier of letters and digits",
  ],
  [
    "an identifier that is a Parameter's name",
    yaml(
      "Transform: AWS::LanguageExtensions",
      "Parameters: { Env: { Type: String, Default: a } }",
      "Resources:",
      "  Fn::ForEach::T:",
      "    - Env",
      "    - [a]",
      "    - T${Env}: { Type: AWS::SNS::Topic }",
    ),
    5,
    "Resources.Fn::ForEach::T[0]: Env is also a Parameter's name: give the loop another identifier",
  ],
  [
    "a body that is a list",
    loop("  Fn::ForEach::T:", "    - Id", "    - [a]", "    - [x]"),
    7,
    "Resources.Fn::ForEach::T[2]: must be a mapping of OutputKey to OutputValue",
  ],
  [
    "a collection that is a string",
    loop("  Fn::ForEach::T:", "    - Id", "    - abc", "    - T${Id}: { Type: AWS::SNS::Topic }"),
    6,
    "Resources.Fn::ForEach::T[1]: must be a list, or a Ref to a CommaDelimitedList parameter",
  ],
  [
    "a collection of lists",
    loop("  Fn::ForEach::T:", "    - Id", "    - [[a]]", "    - T${Id}: { Type: AWS::SNS::Topic }"),
    6,
    "Resources.Fn::ForEach::T[1]: must list strings: each item takes the identifier's place in keys and values",
  ],
  [
    "a collection that uses a condition",
    loop("  Fn::ForEach::T:", "    - Id", "    - !If [C, [a], [b]]", "    - T${Id}: { Type: AWS::SNS::Topic }"),
    6,
    "Resources.Fn::ForEach::T[1].Fn::If[0]: Fn::ForEach cannot use condition C in its collection: list the items, or Ref a CommaDelimitedList parameter",
  ],
  [
    "a key renamed onto its sibling",
    loop(
      "  Fn::ForEach::T:",
      "    - Id",
      "    - [a]",
      "    - T${Id}:",
      "        Type: AWS::SNS::Topic",
      "        Properties: { Xa: 1, 'X${Id}': 2 }",
    ),
    9,
    "Resources.Fn::ForEach::T[2].T${Id}.Properties.X${Id}: becomes Xa, which is already a key of Resources.Fn::ForEach::T[2].T${Id}.Properties",
  ],
];

describe("templates of the wrong shape are refused", () => {
  test.each(rows)("%s", (_name, text, line, reason) => {
    expect(() => analyzeTemplate(text, opts)).toThrow(new TemplateError(reason, line));
  });
});
