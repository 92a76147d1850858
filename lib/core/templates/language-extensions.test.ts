// The AWS::LanguageExtensions transform expanded before analysis: Fn::ForEach over literal lists
// and CommaDelimitedList parameters, ${Id} and &{Id} in keys, Ref to the identifier, nesting.
import { describe, expect, test } from "vitest";
import { TemplateError, analyzeTemplate, parseTemplate } from ".";

const yaml = (...ls: string[]) => `${ls.join("\n")}\n`;
const opts = { stage: "dev", stackName: "assets-dev" };

// Shaped like AWS's Fn::ForEach samples: buckets from a parameter, each exported.
const buckets = yaml(
  "AWSTemplateFormatVersion: '2010-09-09'",
  "Transform: AWS::LanguageExtensions",
  "Parameters:",
  "  Buckets: { Type: CommaDelimitedList, Default: 'logs,assets' }",
  "Resources:",
  "  Fn::ForEach::Buckets:",
  "    - Name",
  "    - !Ref Buckets",
  "    - Bucket${Name}:",
  "        Type: AWS::S3::Bucket",
  "        Properties: { BucketName: !Sub '${AWS::StackName}-${Name}', Tags: [{ Key: name, Value: !Ref Name }] }",
  "Outputs:",
  "  Fn::ForEach::BucketArns:",
  "    - Name",
  "    - !Ref Buckets",
  "    - Bucket${Name}Arn:",
  "        Value: !GetAtt [!Sub 'Bucket${Name}', Arn]",
  "        Export: { Name: !Sub '${AWS::StackName}-${Name}-arn' }",
  "  Count:",
  "    Value: { 'Fn::Length': !Ref Buckets }",
  "    Export: { Name: !Sub '${AWS::StackName}-bucket-count' }",
);

describe("Fn::ForEach", () => {
  test("over a CommaDelimitedList parameter: resources and exports, one per item", () => {
    const analysis = analyzeTemplate(buckets, opts);
    expect(analysis.resources).toEqual([
      { logicalId: "Bucketlogs", type: "AWS::S3::Bucket" },
      { logicalId: "Bucketassets", type: "AWS::S3::Bucket" },
    ]);
    expect(analysis.exports).toEqual({
      "assets-dev-logs-arn": '{"Fn::GetAtt":["Bucketlogs","Arn"]}',
      "assets-dev-assets-arn": '{"Fn::GetAtt":["Bucketassets","Arn"]}',
      "assets-dev-bucket-count": '"2"',
    });
    expect(analysis.transforms).toEqual(["AWS::LanguageExtensions"]);
    expect(analysis.warnings).toEqual([]);
  });

  test("the stage's parameter value decides the items", () => {
    expect(Object.keys(analyzeTemplate(buckets, { ...opts, parameters: { Buckets: "a, b, c" } }).exports)).toEqual([
      "assets-dev-a-arn",
      "assets-dev-b-arn",
      "assets-dev-c-arn",
      "assets-dev-bucket-count",
    ]);
  });

  test("parseTemplate with options expands the loops; without, leaves them as written", () => {
    const expanded = parseTemplate(buckets, opts) as { Resources: Record<string, { Properties: unknown }> };
    expect(expanded.Resources.Bucketlogs!.Properties).toEqual({
      BucketName: { "Fn::Sub": "${AWS::StackName}-logs" },
      Tags: [{ Key: "name", Value: "logs" }],
    });
    expect(Object.keys(parseTemplate(buckets).Resources as object)).toEqual(["Fn::ForEach::Buckets"]);
  });

  test("&{Id} keeps the item's letters and digits; nested loops; Ref to the identifier", () => {
    const text = yaml(
      "Transform: [AWS::LanguageExtensions]",
      "Resources:",
      "  Fn::ForEach::Subnets:",
      "    - Cidr",
      "    - [10.0.1.0/24, 10.0.2.0/24]",
      "    - Subnet&{Cidr}:",
      "        Type: AWS::EC2::Subnet",
      "        Properties: { CidrBlock: !Ref Cidr }",
      "  Fn::ForEach::Tiers:",
      "    - Tier",
      "    - [Transit, Public]",
      "    - Nacl${Tier}:",
      "        Type: AWS::EC2::NetworkAcl",
      "      Fn::ForEach::Zones:",
      "        - Zone",
      "        - [A, B]",
      "        - ${Tier}Subnet${Zone}:",
      "            Type: AWS::EC2::Subnet",
      "            Properties: { NetworkAclId: !Ref { 'Fn::Sub': 'Nacl${Tier}' } }",
      "Outputs:",
      "  Fn::ForEach::Out:",
      "    - Tier",
      "    - [Transit, Public]",
      "    - ${Tier}A:",
      "        Value: !Ref { 'Fn::Sub': '${Tier}SubnetA' }",
      "        Export: { Name: !Sub '${Tier}-a' }",
    );
    const analysis = analyzeTemplate(text, opts);
    expect(analysis.resources.map((r) => r.logicalId)).toEqual([
      "Subnet1001024",
      "Subnet1002024",
      "NaclTransit",
      "TransitSubnetA",
      "TransitSubnetB",
      "NaclPublic",
      "PublicSubnetA",
      "PublicSubnetB",
    ]);
    expect(analysis.exports).toEqual({ "Transit-a": '{"Ref":"TransitSubnetA"}', "Public-a": '{"Ref":"PublicSubnetA"}' });
  });

  test("in Conditions, with FindInMap's DefaultValue", () => {
    const text = yaml(
      "Transform: AWS::LanguageExtensions",
      "Parameters: { ParamA: { Type: String, Default: 'true' }, ParamB: { Type: String, Default: 'false' } }",
      "Mappings: { Names: { Export: { A: alpha } } }",
      "Conditions:",
      "  Fn::ForEach::Enabled:",
      "    - Id",
      "    - [A, B]",
      "    - IsParam${Id}Enabled: !Equals [!Ref { 'Fn::Sub': 'Param${Id}' }, 'true']",
      "Resources: { Topic: { Type: AWS::SNS::Topic } }",
      "Outputs:",
      "  Fn::ForEach::Out:",
      "    - Id",
      "    - [A, B]",
      "    - Out${Id}:",
      "        Condition: IsParam${Id}Enabled",
      "        Value: !Ref Topic",
      "        Export: { Name: !FindInMap [Names, Export, !Ref Id, { DefaultValue: !Sub 'default-${Id}' }] }",
    );
    const analysis = analyzeTemplate(text, opts);
    expect(analysis.exports).toEqual({ alpha: '{"Ref":"Topic"}' });
    expect(analysis.disabledExports).toEqual({ "default-B": "IsParamBEnabled" });
  });
});

const refusals: [string, string, number, string][] = [
  [
    "Fn::ForEach without the transform",
    yaml("Resources:", "  Fn::ForEach::Topics:", "    - Id", "    - [A]", "    - Topic${Id}: { Type: AWS::SNS::Topic }"),
    2,
    "Resources.Fn::ForEach::Topics: Fn::ForEach needs the AWS::LanguageExtensions transform: add `Transform: AWS::LanguageExtensions` at the top of the template",
  ],
  [
    "Fn::Length without the transform (AWS refuses it)",
    yaml(
      "Resources:",
      "  Topic: { Type: AWS::SNS::Topic }",
      "Outputs:",
      "  Count: { Value: { 'Fn::Length': [a, b] }, Export: { Name: count } }",
    ),
    4,
    "Outputs.Count.Value.Fn::Length: Fn::Length needs the AWS::LanguageExtensions transform: add `Transform: AWS::LanguageExtensions` at the top of the template",
  ],
  [
    "Fn::ToJsonString without the transform, in a resource's properties",
    yaml(
      "Resources:",
      "  Param:",
      "    Type: AWS::SSM::Parameter",
      "    Properties:",
      "      Type: String",
      "      Value: { 'Fn::ToJsonString': { a: 1 } }",
    ),
    6,
    "Resources.Param.Properties.Value.Fn::ToJsonString: Fn::ToJsonString needs the AWS::LanguageExtensions transform: add `Transform: AWS::LanguageExtensions` at the top of the template",
  ],
  [
    "Fn::FindInMap's DefaultValue without the transform",
    yaml(
      "Mappings: { Names: { Export: { A: alpha } } }",
      "Resources: { Topic: { Type: AWS::SNS::Topic } }",
      "Conditions:",
      "  Named: !Equals [!FindInMap [Names, Export, B, { DefaultValue: none }], none]",
    ),
    4,
    "Conditions.Named.Fn::Equals[0].Fn::FindInMap[3]: Fn::FindInMap's DefaultValue needs the AWS::LanguageExtensions transform: add `Transform: AWS::LanguageExtensions` at the top of the template",
  ],
  [
    "Fn::ForEach under another transform only",
    yaml(
      "Transform: [AWS::Serverless-2016-10-31]",
      "Resources:",
      "  Fn::ForEach::Topics:",
      "    - Id",
      "    - [A]",
      "    - Topic${Id}: { Type: AWS::SNS::Topic }",
    ),
    3,
    "Resources.Fn::ForEach::Topics: Fn::ForEach needs the AWS::LanguageExtensions transform: add `Transform: AWS::LanguageExtensions` at the top of the template",
  ],
  [
    "a collection only AWS knows",
    yaml(
      "Transform: AWS::LanguageExtensions",
      "Resources:",
      "  Topic: { Type: AWS::SNS::Topic }",
      "  Fn::ForEach::Subs:",
      "    - Id",
      "    - !GetAtt Topic.Names",
      "    - Sub${Id}: { Type: AWS::SNS::Subscription }",
    ),
    6,
    "Resources.Fn::ForEach::Subs[1]: uses Fn::GetAtt Topic.Names, whose value only AWS knows; a Fn::ForEach collection must be known before deploying: list the items, or Ref a CommaDelimitedList parameter",
  ],
  [
    "an OutputKey without the identifier",
    yaml(
      "Transform: AWS::LanguageExtensions",
      "Resources:",
      "  Fn::ForEach::Topics:",
      "    - Id",
      "    - [A, B]",
      "    - Topic: { Type: AWS::SNS::Topic }",
    ),
    3,
    "Resources.Fn::ForEach::Topics: makes Topic twice, or a key that Resources already has: its OutputKey must contain ${Id} or &{Id} so that each item makes its own key",
  ],
  [
    "an identifier reused by a nested loop",
    yaml(
      "Transform: AWS::LanguageExtensions",
      "Resources:",
      "  Fn::ForEach::Outer:",
      "    - Id",
      "    - [A]",
      "    - Fn::ForEach::Inner:",
      "        - Id",
      "        - [B]",
      "        - T${Id}: { Type: AWS::SNS::Topic }",
    ),
    7,
    "Resources.Fn::ForEach::Outer[2].Fn::ForEach::Inner[0]: Id is already the identifier of an enclosing Fn::ForEach: give this loop another one",
  ],
  [
    "a loop that is not a list of three",
    yaml("Transform: AWS::LanguageExtensions", "Resources:", "  Fn::ForEach::Topics: [Id, [A]]"),
    3,
    "Resources.Fn::ForEach::Topics: must be a list of three: [Identifier, [collection], { OutputKey: OutputValue }]",
  ],
  [
    "an export name only AWS knows, inside a loop: the line of the template's text",
    yaml(
      "Transform: AWS::LanguageExtensions",
      "Resources: { Topic: { Type: AWS::SNS::Topic } }",
      "Outputs:",
      "  Fn::ForEach::Out:",
      "    - Id",
      "    - [A]",
      "    - Out${Id}:",
      "        Value: x",
      "        Export:",
      "          Name: !GetAtt Topic.TopicName",
    ),
    10,
    "Outputs.OutA.Export.Name: uses Fn::GetAtt Topic.TopicName, whose value only AWS knows; an export name must be known before deploying: build it from parameters, pseudo parameters and literals",
  ],
];

describe("Fn::ForEach refused", () => {
  test.each(refusals)("%s", (_name, text, line, reason) => {
    expect(() => analyzeTemplate(text, opts)).toThrow(new TemplateError(reason, line));
  });
});

test("the transform's functions are read where the template declares it", () => {
  const text = yaml(
    "Transform: AWS::LanguageExtensions",
    "Mappings: { Names: { Export: { A: alpha } } }",
    "Resources: { Topic: { Type: AWS::SNS::Topic } }",
    "Outputs:",
    "  Count: { Value: { 'Fn::Length': [a, b] }, Export: { Name: !FindInMap [Names, Export, B, { DefaultValue: none }] } }",
    "  Json: { Value: { 'Fn::ToJsonString': { a: 1 } }, Export: { Name: json } }",
  );
  expect(analyzeTemplate(text, opts).exports).toEqual({ none: '"2"', json: '"{\\"a\\":1}"' });
});
