// Templates CloudFormation would refuse, refused before a build with the line and the fix.
import { describe, expect, test } from "vitest";
import { TemplateError, analyzeTemplate } from ".";

const lines = (...ls: string[]) => `${ls.join("\n")}\n`;
const opts = { stage: "prod", stackName: "billing-api-prod" };
const topic = ["Resources:", "  Topic:", "    Type: AWS::SNS::Topic"];

const errors: [string, string, number | null, string][] = [
  [
    "malformed JSON, missing comma",
    '{\n  "Resources": {\n    "A": { "Type": "X" }\n    "B": { "Type": "Y" }\n  }\n}',
    4,
    "invalid JSON: Expected ',' or '}' after property value",
  ],
  [
    "malformed JSON, no position from JSON.parse",
    '{\n  "Resources": {\n    "A": { "Type": }\n  }\n}',
    3,
    "invalid JSON: Unexpected token '}'",
  ],
  [
    "malformed YAML, bad indentation",
    lines(...topic, "   Other:", "    Type: X"),
    4,
    "invalid YAML: All mapping items must start at the same column",
  ],
  [
    "!ImportValue !Sub is not valid YAML (as on AWS)",
    lines(...topic, "    Properties:", '      TopicName: !ImportValue !Sub "Ext-${stage}"'),
    5,
    "invalid YAML: A node can have at most one tag (short forms cannot nest directly: write `Fn::ImportValue: !Sub ...`)",
  ],
  [
    "unknown short form",
    lines(...topic, "    Properties: { TopicName: !Reff Foo }"),
    4,
    "!Reff is not a tag CloudFormation knows (it knows !Ref, !Condition, !GetAtt, !Sub, !ImportValue, !Join, !Select, !Split, !If, !Equals, !Not, !And, !Or, !FindInMap, !Base64, !Cidr, !GetAZs, !Transform): a tool's own tag (e.g. rain's !Rain::Embed) must be expanded by that tool before the template is given to Sprout",
  ],
  ["root is not a mapping", lines("- Resources"), 1, "the template must be a mapping (Resources, Outputs, ...) at its top level"],
  ["missing Resources", '{"Outputs": {}}', null, "Resources: missing (a template needs at least one resource)"],
  [
    "Resources not a mapping",
    lines("Outputs: {}", "Resources:", "  - Topic"),
    2,
    "Resources: must be a mapping of logical IDs to resources",
  ],
  ["Resources empty", '{\n  "Resources": {}\n}', 2, "Resources: must contain at least one resource"],
  [
    "resource without Type",
    lines(...topic, "  Queue:", "    Properties: {}"),
    4,
    "Resources.Queue: has no Type (e.g. Type: AWS::SNS::Topic)",
  ],
  [
    "resource Type not a string, JSON",
    '{"Resources": {\n  "Topic": {\n    "Type": ["AWS::SNS::Topic"]}}}',
    3,
    "Resources.Topic.Type: must be a string (e.g. AWS::SNS::Topic)",
  ],
  ["Outputs not a mapping", lines(...topic, "Outputs: [a]"), 4, "Outputs: must be a mapping of output names to outputs"],
  [
    "Export.Name unresolvable",
    lines(...topic, "Outputs:", "  Arn:", "    Value: !Ref Topic", "    Export:", "      Name: !GetAtt Topic.TopicName"),
    8,
    "Outputs.Arn.Export.Name: uses Fn::GetAtt Topic.TopicName, whose value only AWS knows; an export name must be known before deploying: build it from parameters, pseudo parameters and literals",
  ],
  [
    "duplicate export name",
    lines(...topic, "Outputs:", "  A: { Value: 1, Export: { Name: x-${stage} } }", "  B: { Value: 2, Export: { Name: x-prod } }"),
    6,
    "Outputs.B.Export.Name: duplicate export name x-prod: export names are unique per account and region",
  ],
  [
    "import of a Ref to a Parameter read from SSM when AWS deploys",
    lines(
      "Parameters:",
      "  Ext: { Type: 'AWS::SSM::Parameter::Value<String>', Default: /ext/topic }",
      ...topic,
      "  NotifyFn:",
      "    Type: AWS::Lambda::Function",
      "    Properties:",
      "      Events:",
      "        - sns: { 'Fn::ImportValue': !Ref Ext }",
    ),
    10,
    "Resources.NotifyFn.Properties.Events[0].sns.Fn::ImportValue: uses Parameter Ext (type AWS::SSM::Parameter::Value<String>), whose value AWS reads from Systems Manager when it deploys; an import name must be known before deploying: build it from parameters, pseudo parameters and literals",
  ],
  [
    "Fn::Sub naming a resource attribute",
    `{"Resources": {"Topic": {"Type": "T",\n "Properties": {"Name": {"Fn::ImportValue": {"Fn::Sub": "\${Topic.Arn}"}}}}}}`,
    2,
    "Resources.Topic.Properties.Name.Fn::ImportValue: uses Fn::GetAtt Topic.Arn, whose value only AWS knows; an import name must be known before deploying: build it from parameters, pseudo parameters and literals",
  ],
  [
    "Metadata.Sprout.deploySeconds a string",
    lines(...topic, "Metadata:", "  Sprout:", '    deploySeconds: "3"'),
    6,
    "Metadata.Sprout.deploySeconds: must be a non-negative number",
  ],
  [
    "Metadata.Sprout.deploySeconds negative",
    lines(...topic, "Metadata: { Sprout: { deploySeconds: -1 } }"),
    4,
    "Metadata.Sprout.deploySeconds: must be a non-negative number",
  ],
  [
    "Metadata.Sprout.fail not a string",
    lines(...topic, "Metadata:", "  Sprout:", "    fail: 42"),
    6,
    "Metadata.Sprout.fail: must be a string",
  ],
];

describe("analyzeTemplate refuses", () => {
  test.each(errors)("%s", (_name, text, line, reason) => {
    let caught: unknown;
    try {
      analyzeTemplate(text, opts);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TemplateError);
    expect(caught).toMatchObject({ line, reason, message: line === null ? reason : `line ${line}: ${reason}` });
  });
});
