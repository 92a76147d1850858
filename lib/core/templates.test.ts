import { describe, expect, test } from "vitest";
import { TemplateError, analyzeTemplate, parseTemplate, serviceState, substituteStage } from "./templates";
import type { TTemplateAnalysis } from "./templates";

const lines = (...ls: string[]) => `${ls.join("\n")}\n`;
const opts = { stage: "prod", stackName: "billing-api-prod" };
const TOPIC_REF = '{"Ref":"NotePurchasedTopic"}';

// The seed's two services, as `serverless package` compiles them.
const billingJson = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "NotePurchasedTopic": { "Type": "AWS::SNS::Topic", "Properties": { "TopicName": "note-purchased-\${stage}" } }
  },
  "Outputs": {
    "NotePurchasedTopicArn": {
      "Value": { "Ref": "NotePurchasedTopic" },
      "Export": { "Name": "ExtNotePurchasedTopicArn-\${self:custom.stage}" }
    }
  },
  "Metadata": { "Sprout": { "deploySeconds": 2 } }
}`;
const billingYaml = lines(
  "Resources:",
  "  NotePurchasedTopic:",
  "    Type: AWS::SNS::Topic",
  "    Properties:",
  "      TopicName: note-purchased-${stage}",
  "Outputs:",
  "  NotePurchasedTopicArn:",
  "    Value: !Ref NotePurchasedTopic",
  "    Export:",
  "      Name: ExtNotePurchasedTopicArn-${stage}",
);
const notifyJson = `{
  "Resources": {
    "NotifyLambdaFunction": { "Type": "AWS::Lambda::Function", "Properties": { "Handler": "notify.main" } },
    "NotifySnsSubscriptionNotePurchased": {
      "Type": "AWS::SNS::Subscription",
      "Properties": {
        "TopicArn": { "Fn::ImportValue": "ExtNotePurchasedTopicArn-\${self:custom.stage}" },
        "Protocol": "lambda",
        "Endpoint": { "Fn::GetAtt": ["NotifyLambdaFunction", "Arn"] }
      }
    },
    "NotifyLambdaPermissionNotePurchasedSNS": {
      "Type": "AWS::Lambda::Permission",
      "Properties": { "SourceArn": { "Fn::ImportValue": "ExtNotePurchasedTopicArn-\${self:custom.stage}" } }
    }
  }
}`;
const notifyYaml = lines(
  "Resources:",
  "  NotifyLambdaFunction:",
  "    Type: AWS::Lambda::Function",
  "    Properties: { Handler: notify.main }",
  "  NotifySnsSubscriptionNotePurchased:",
  "    Type: AWS::SNS::Subscription",
  "    Properties:",
  "      TopicArn:",
  "        'Fn::ImportValue': ExtNotePurchasedTopicArn-${self:custom.stage}",
  "      Protocol: lambda",
  "      Endpoint: !GetAtt NotifyLambdaFunction.Arn",
);
const notifyResources = [
  { logicalId: "NotifyLambdaFunction", type: "AWS::Lambda::Function" },
  { logicalId: "NotifySnsSubscriptionNotePurchased", type: "AWS::SNS::Subscription" },
];
const topic = ["Resources:", "  Topic:", "    Type: AWS::SNS::Topic"];
const topicResource = [{ logicalId: "Topic", type: "AWS::SNS::Topic" }];
const none = { exports: {}, imports: [], metadata: {} };

type TRow = [string, string, Partial<TTemplateAnalysis> & Pick<TTemplateAnalysis, "resources">, Partial<typeof opts>?];
const analyses: TRow[] = [
  [
    "billing-api, JSON",
    billingJson,
    {
      exports: { "ExtNotePurchasedTopicArn-prod": TOPIC_REF },
      imports: [],
      resources: [{ logicalId: "NotePurchasedTopic", type: "AWS::SNS::Topic" }],
      metadata: { deploySeconds: 2 },
    },
  ],
  [
    "billing-api, YAML short forms give the same canonical value as JSON",
    billingYaml,
    {
      ...none,
      exports: { "ExtNotePurchasedTopicArn-prod": TOPIC_REF },
      resources: [{ logicalId: "NotePurchasedTopic", type: "AWS::SNS::Topic" }],
    },
  ],
  [
    "notify-job, JSON: one import used twice is listed once",
    notifyJson,
    {
      ...none,
      imports: ["ExtNotePurchasedTopicArn-prod"],
      resources: [...notifyResources, { logicalId: "NotifyLambdaPermissionNotePurchasedSNS", type: "AWS::Lambda::Permission" }],
    },
  ],
  ["notify-job, YAML", notifyYaml, { ...none, imports: ["ExtNotePurchasedTopicArn-prod"], resources: notifyResources }],
  [
    "!ImportValue short form",
    lines(...topic, "    Properties: { TopicName: !ImportValue Ext-${stage} }"),
    { ...none, imports: ["Ext-prod"], resources: topicResource },
  ],
  [
    "Fn::ImportValue: !Sub with pseudo parameters (defaults)",
    lines(
      ...topic,
      "    Properties:",
      "      TopicName:",
      '        Fn::ImportValue: !Sub "Ext-${AWS::AccountId}-${AWS::Region}-${AWS::Partition}"',
    ),
    { ...none, imports: ["Ext-000000000000-us-east-1-aws"], resources: topicResource },
  ],
  [
    "Fn::Sub with a vars list, given region and account",
    `{"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {
    "TopicName": {"Fn::ImportValue": {"Fn::Sub": ["\${Prefix}-\${AWS::Region}-\${AWS::AccountId}-\${!Literal}", {"Prefix": "Ext"}]}}}}}}`,
    { ...none, imports: ["Ext-eu-west-1-123456789012-${Literal}"], resources: topicResource },
    { region: "eu-west-1", accountId: "123456789012" } as Partial<typeof opts>,
  ],
  [
    "!Sub sequence form with a var from a Ref to a pseudo parameter",
    lines(
      ...topic,
      "Outputs:",
      "  Arn:",
      "    Value: !Ref Topic",
      "    Export:",
      "      Name: !Sub ['${Base}-TopicArn', { Base: !Ref AWS::StackName }]",
    ),
    { ...none, exports: { "billing-api-prod-TopicArn": '{"Ref":"Topic"}' }, resources: topicResource },
  ],
  [
    "Fn::Join export name",
    lines(
      ...topic,
      "Outputs:",
      "  Arn:",
      "    Value: !GetAtt Topic.TopicName",
      "    Export:",
      '      Name: !Join ["-", [!Ref "AWS::StackName", Topic, !Sub "${AWS::Region}"]]',
    ),
    { ...none, exports: { "billing-api-prod-Topic-us-east-1": '{"Fn::GetAtt":["Topic","TopicName"]}' }, resources: topicResource },
  ],
  [
    "${AWS::StackName}-based export names in JSON",
    `{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
    "Outputs": {"Arn": {"Value": {"Ref": "Topic"}, "Export": {"Name": {"Fn::Sub": "\${AWS::StackName}-TopicArn"}}}}}`,
    { ...none, exports: { "billing-api-prod-TopicArn": '{"Ref":"Topic"}' }, resources: topicResource },
  ],
  [
    "multiple exports and imports, imports sorted, in Outputs and Conditions too",
    lines(
      "Conditions:",
      "  HasAlerts: !Equals [!ImportValue Ext-alerts-${stage}, enabled]",
      ...topic,
      "  Queue:",
      "    Type: AWS::SQS::Queue",
      "    Properties: { RedrivePolicy: { deadLetterTargetArn: !ImportValue Ext-dlq-${stage} } }",
      "Outputs:",
      "  TopicArn: { Value: !Ref Topic, Export: { Name: Ext-topic-${stage} } }",
      "  QueueUrl: { Value: !Ref Queue, Export: { Name: Ext-queue-${stage} } }",
      "  Passed: { Value: !ImportValue Ext-dlq-${stage}, Export: { Name: Ext-passed-${stage} } }",
      "  Plain: { Value: !Ref Queue }",
    ),
    {
      exports: {
        "Ext-topic-prod": '{"Ref":"Topic"}',
        "Ext-queue-prod": '{"Ref":"Queue"}',
        "Ext-passed-prod": '{"Fn::ImportValue":"Ext-dlq-prod"}',
      },
      imports: ["Ext-alerts-prod", "Ext-dlq-prod"],
      resources: [...topicResource, { logicalId: "Queue", type: "AWS::SQS::Queue" }],
      metadata: {},
    },
  ],
  [
    "every stage token; other variables untouched",
    lines(
      ...topic,
      "    Properties:",
      "      A: !ImportValue a-${stage}",
      "      B: !ImportValue b-${sls:stage}",
      "      C: !ImportValue c-${opt:stage}",
      "      D: !ImportValue d-${self:custom.stage}",
      "      E: !ImportValue e-${self:provider.stage}",
      "      F: !ImportValue { 'Fn::Sub': 'f-${AWS::Region}-${stage}' }",
    ),
    { ...none, imports: ["a-prod", "b-prod", "c-prod", "d-prod", "e-prod", "f-us-east-1-prod"], resources: topicResource },
  ],
  [
    "Metadata.Sprout fail",
    lines(...topic, "Metadata:", "  Sprout: { deploySeconds: 0, fail: boom }"),
    { ...none, resources: topicResource, metadata: { deploySeconds: 0, fail: "boom" } },
  ],
];

describe("analyzeTemplate", () => {
  test.each(analyses)("%s", (_name, text, expected, extra) => {
    expect(analyzeTemplate(text, { ...opts, ...extra })).toEqual({ ...none, ...expected });
  });
});

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
  ["unknown short form", lines(...topic, "    Properties: { TopicName: !Reff Foo }"), 4, "invalid YAML: Unresolved tag: !Reff"],
  ["root is not a mapping", lines("- Resources"), 1, "the template must be a mapping"],
  ["missing Resources", '{"Outputs": {}}', null, "Resources: missing (a template needs at least one resource)"],
  [
    "Resources not a mapping",
    lines("Outputs: {}", "Resources:", "  - Topic"),
    2,
    "Resources: must be a mapping of logical IDs to resources",
  ],
  ["Resources empty", '{\n  "Resources": {}\n}', 2, "Resources: must contain at least one resource"],
  ["resource without Type", lines(...topic, "  Queue:", "    Properties: {}"), 4, "Resources.Queue: has no Type"],
  [
    "resource Type not a string, JSON",
    '{"Resources": {\n  "Topic": {\n    "Type": ["AWS::SNS::Topic"]}}}',
    3,
    "Resources.Topic.Type: must be a string",
  ],
  ["Outputs not a mapping", lines(...topic, "Outputs: [a]"), 4, "Outputs: must be a mapping"],
  [
    "Export.Name unresolvable",
    lines(...topic, "Outputs:", "  Arn:", "    Value: !Ref Topic", "    Export:", "      Name: !GetAtt Topic.TopicName"),
    8,
    "Outputs.Arn.Export.Name: cannot resolve the export name to a string",
  ],
  [
    "duplicate export name",
    lines(...topic, "Outputs:", "  A: { Value: 1, Export: { Name: x-${stage} } }", "  B: { Value: 2, Export: { Name: x-prod } }"),
    6,
    "Outputs.B.Export.Name: duplicate export name x-prod",
  ],
  [
    "import of a Ref to a Parameter",
    lines(
      "Parameters:",
      "  Ext: { Type: String }",
      ...topic,
      "  NotifyFn:",
      "    Type: AWS::Lambda::Function",
      "    Properties:",
      "      Events:",
      "        - sns: { 'Fn::ImportValue': !Ref Ext }",
    ),
    10,
    "Resources.NotifyFn.Properties.Events[0].sns: cannot resolve the name of Fn::ImportValue",
  ],
  [
    "Fn::Sub naming a resource attribute",
    `{"Resources": {"Topic": {"Type": "T",\n "Properties": {"Name": {"Fn::ImportValue": {"Fn::Sub": "\${Topic.Arn}"}}}}}}`,
    2,
    "Resources.Topic.Properties.Name: cannot resolve the name of Fn::ImportValue",
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

describe("canonical export values", () => {
  const exportOf = (value: string) =>
    analyzeTemplate(lines(...topic, "Outputs:", "  Arn:", `    Value: ${value}`, "    Export: { Name: Ext-${stage} }"), opts).exports[
      "Ext-prod"
    ];
  test.each([
    ["a different Value is a different text", "!GetAtt Topic.TopicArn", "!GetAtt Topic.TopicName", false],
    ["key order does not matter", '{ "Fn::Join": ["", [a, { b: 1, a: 2 }]] }', '{ "Fn::Join": ["", [a, { a: 2, b: 1 }]] }', true],
    ["short and long forms are one value", "!Sub arn:${AWS::Partition}:x", "{ 'Fn::Sub': 'arn:${AWS::Partition}:x' }", true],
    ["the stage is part of the value", "!Sub arn-${stage}", "!Sub arn-dev", false],
  ])("%s", (_name, a, b, same) => {
    expect(exportOf(a) === exportOf(b)).toBe(same);
  });
  test("exact text, keys sorted", () => {
    expect(exportOf("{ z: [1, { y: 2, x: null }], a: !Ref Topic }")).toBe('{"a":{"Ref":"Topic"},"z":[1,{"x":null,"y":2}]}');
  });
});

describe("parseTemplate", () => {
  test("maps every short form to its long form", () => {
    const root = parseTemplate(
      lines(
        ...topic,
        "    Properties:",
        "      - !Ref A",
        "      - !GetAtt A.B.C",
        "      - !GetAtt [A, B]",
        "      - !Sub x",
        "      - !Sub [x, { a: b }]",
        "      - !ImportValue x",
        "      - !Join [',', [a, b]]",
        "      - !Select [0, !Split [',', !GetAZs '']]",
        "      - !If [C, !Not [!Equals [a, b]], !And [!Or [!Condition C, !Condition D], true]]",
        "      - !FindInMap [M, k, v]",
        "      - !Base64 { 'Fn::Sub': x }",
        "      - !Cidr [10.0.0.0/16, 4, 8]",
      ),
    );
    expect((root.Resources as Record<string, { Properties: unknown }>).Topic.Properties).toEqual([
      { Ref: "A" },
      { "Fn::GetAtt": ["A", "B.C"] },
      { "Fn::GetAtt": ["A", "B"] },
      { "Fn::Sub": "x" },
      { "Fn::Sub": ["x", { a: "b" }] },
      { "Fn::ImportValue": "x" },
      { "Fn::Join": [",", ["a", "b"]] },
      { "Fn::Select": [0, { "Fn::Split": [",", { "Fn::GetAZs": "" }] }] },
      {
        "Fn::If": [
          "C",
          { "Fn::Not": [{ "Fn::Equals": ["a", "b"] }] },
          { "Fn::And": [{ "Fn::Or": [{ Condition: "C" }, { Condition: "D" }] }, true] },
        ],
      },
      { "Fn::FindInMap": ["M", "k", "v"] },
      { "Fn::Base64": { "Fn::Sub": "x" } },
      { "Fn::Cidr": ["10.0.0.0/16", 4, 8] },
    ]);
  });
  test("checks export names without a stage or stack", () => {
    expect(() =>
      parseTemplate('{"Resources": {"T": {"Type": "T"}},\n "Outputs": {"O": {"Value": 1, "Export": {"Name": {"Ref": "P"}}}}}'),
    ).toThrow(new TemplateError("Outputs.O.Export.Name: cannot resolve the export name to a string", 2));
    expect(
      Object.keys(parseTemplate(lines(...topic, "Outputs:", "  O: { Value: 1, Export: { Name: !Sub '${AWS::StackName}-x' } }"))),
    ).toEqual(["Resources", "Outputs"]);
  });
  test("JSON and YAML of one template parse alike", () => {
    const [json, yaml] = [billingJson, billingYaml].map((t) => parseTemplate(substituteStage(t, "prod")));
    expect(json).toEqual({ ...yaml, AWSTemplateFormatVersion: "2010-09-09", Metadata: { Sprout: { deploySeconds: 2 } } });
  });
});

describe("substituteStage", () => {
  test.each([
    ["${stage}-${sls:stage}-${opt:stage}", "dev-dev-dev"],
    ["${self:custom.stage}/${self:provider.stage}", "dev/dev"],
    ["${AWS::Region}-${stage}", "${AWS::Region}-dev"],
    ["${stageName} ${ stage } $stage ${self:custom.stages}", "${stageName} ${ stage } $stage ${self:custom.stages}"],
  ])("%s", (text, out) => {
    expect(substituteStage(text, "dev")).toBe(out);
  });
});

describe("serviceState", () => {
  test("shapes the analysis for the planner", () => {
    expect(
      serviceState(notifyYaml, ["billing-api", "auth", "billing-api"], "sha256:abc", { stage: "dev", stackName: "notify-job-dev" }),
    ).toEqual({
      artifact: "sha256:abc",
      exports: {},
      imports: ["ExtNotePurchasedTopicArn-dev"],
      dependsOn: ["auth", "billing-api"],
    });
  });
});
