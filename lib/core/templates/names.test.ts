// Export and import names resolved as CloudFormation resolves them for one stage, on small
// templates shaped like public ones: AWS's VPC and ECS Fargate samples, CDK and Serverless output,
// SAM, mappings by region, conditional outputs.
import { describe, expect, test } from "vitest";
import { TemplateError, analyzeTemplate, type TAnalyzeOptions, type TTemplateAnalysis } from ".";

const yaml = (...ls: string[]) => `${ls.join("\n")}\n`;
const base: TAnalyzeOptions = { stage: "dev", stackName: "network-dev" };
const topic = ["Resources:", "  Topic:", "    Type: AWS::SNS::Topic"];
const KNOWN_BEFORE = "must be known before deploying: build it from parameters, pseudo parameters and literals";

// AWS's "VPC with public and private subnets" sample, cut down: names from pseudo parameters and a Parameter.
const vpcStack = yaml(
  "AWSTemplateFormatVersion: '2010-09-09'",
  "Parameters:",
  "  EnvironmentName: { Type: String, Default: dev }",
  "  VpcCIDR:",
  "    Type: String",
  "    Default: 10.192.0.0/16",
  "    AllowedPattern: '(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})'",
  "Resources:",
  "  VPC:",
  "    Type: AWS::EC2::VPC",
  "    Properties: { CidrBlock: !Ref VpcCIDR, Tags: [{ Key: Name, Value: !Ref EnvironmentName }] }",
  "  PublicSubnet1:",
  "    Type: AWS::EC2::Subnet",
  "    Properties:",
  "      VpcId: !Ref VPC",
  "      AvailabilityZone: !Select [0, !GetAZs '']",
  "      CidrBlock: !Select [0, !Cidr [!Ref VpcCIDR, 4, 8]]",
  "Outputs:",
  "  VPC:",
  "    Value: !Ref VPC",
  "    Export: { Name: !Sub '${AWS::Region}-${AWS::StackName}-VPC' }",
  "  PublicSubnet1:",
  "    Value: !Ref PublicSubnet1",
  "    Export:",
  "      Name: !Join [':', [!Ref 'AWS::StackName', PublicSubnet1]]",
  "  VpcCidr:",
  "    Value: !Ref VpcCIDR",
  "    Export: { Name: !Sub '${EnvironmentName}-VpcCidr' }",
);

// AWS's "ECS Fargate service" sample: the cluster's stack named by a Parameter.
const fargateService = yaml(
  "Parameters:",
  "  StackName:",
  "    Type: String",
  "    Default: production",
  "    Description: The name of the parent Fargate networking stack",
  "  ServiceName: { Type: String, Default: nginx }",
  "Resources:",
  "  Service:",
  "    Type: AWS::ECS::Service",
  "    Properties:",
  "      ServiceName: !Ref ServiceName",
  "      Cluster:",
  "        Fn::ImportValue: !Join [':', [!Ref StackName, 'ClusterName']]",
  "      NetworkConfiguration:",
  "        AwsvpcConfiguration:",
  "          SecurityGroups: [!ImportValue { 'Fn::Sub': '${StackName}:FargateContainerSecurityGroup' }]",
  "          Subnets:",
  "            - Fn::ImportValue: !Sub ${StackName}:PrivateSubnetOne",
  "  TargetGroup:",
  "    Type: AWS::ElasticLoadBalancingV2::TargetGroup",
  "    Properties:",
  "      VpcId:",
  "        Fn::ImportValue: !Sub '${StackName}:VPCId'",
);

// What `cdk synth` writes for a cross-stack reference: literal names, values only AWS knows.
const cdkProducer = JSON.stringify({
  Parameters: { BootstrapVersion: { Type: "AWS::SSM::Parameter::Value<String>", Default: "/cdk-bootstrap/hnb659fds/version" } },
  Conditions: {
    CDKMetadataAvailable: {
      "Fn::Or": [{ "Fn::Equals": [{ Ref: "AWS::Region" }, "eu-west-1"] }, { "Fn::Equals": [{ Ref: "AWS::Region" }, "us-east-1"] }],
    },
  },
  Resources: {
    Cluster611F8AFF: { Type: "AWS::ECS::Cluster" },
    CDKMetadata: { Type: "AWS::CDK::Metadata", Properties: { Analytics: "v2:deflate64:H4sI" }, Condition: "CDKMetadataAvailable" },
  },
  Outputs: {
    ExportsOutputRefCluster611F8AFF: {
      Value: { Ref: "Cluster611F8AFF" },
      Export: { Name: "NetworkStack:ExportsOutputRefCluster611F8AFF" },
    },
    ExportsOutputFnGetAttCluster611F8AFFArn: {
      Value: { "Fn::GetAtt": ["Cluster611F8AFF", "Arn"] },
      Export: { Name: "NetworkStack:ExportsOutputFnGetAttCluster611F8AFFArn" },
    },
  },
  Rules: {
    CheckBootstrapVersion: { Assertions: [{ Assert: { "Fn::Not": [{ "Fn::Contains": [["1", "2"], { Ref: "BootstrapVersion" }] }] } }] },
  },
});
const cdkConsumer = JSON.stringify({
  Resources: {
    Service: { Type: "AWS::ECS::Service", Properties: { Cluster: { "Fn::ImportValue": "NetworkStack:ExportsOutputRefCluster611F8AFF" } } },
  },
});

// What `serverless package` writes: the stage already in the text, values built from pseudo parameters.
const serverless = JSON.stringify({
  Resources: { ApiGatewayRestApi: { Type: "AWS::ApiGateway::RestApi", Properties: { Name: "${sls:stage}-billing-api" } } },
  Outputs: {
    ServiceEndpoint: {
      Value: {
        "Fn::Join": [
          "",
          [
            "https://",
            { Ref: "ApiGatewayRestApi" },
            ".execute-api.",
            { Ref: "AWS::Region" },
            ".",
            { Ref: "AWS::URLSuffix" },
            "/${sls:stage}",
          ],
        ],
      },
      Export: { Name: "sls-billing-api-${sls:stage}-ServiceEndpoint" },
    },
  },
});

const sam = yaml(
  "AWSTemplateFormatVersion: '2010-09-09'",
  "Transform: AWS::Serverless-2016-10-31",
  "Globals: { Function: { Timeout: 3 } }",
  "Resources:",
  "  HelloWorldFunction:",
  "    Type: AWS::Serverless::Function",
  "    Properties:",
  "      Handler: app.lambda_handler",
  "      Events: { HelloWorld: { Type: Api, Properties: { Path: /hello, Method: get } } }",
  "      Environment: { Variables: { TABLE: !ImportValue shared-table-name } }",
  "Outputs:",
  "  HelloWorldApi:",
  '    Value: !Sub "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/hello/"',
  "    Export: { Name: !Sub '${AWS::StackName}-Api' }",
  "  HelloWorldFunctionRole:",
  "    Value: !GetAtt HelloWorldFunctionRole.Arn",
);

// Names by region from Mappings (AWS's Neptune and Managed AD samples look up per-region values).
const byRegion = yaml(
  "Mappings:",
  "  RegionMap:",
  "    us-east-1: { Prefix: use1 }",
  "    eu-west-1: { Prefix: euw1 }",
  ...topic,
  "Outputs:",
  "  Endpoint:",
  "    Value: !GetAtt Topic.TopicName",
  "    Export:",
  "      Name: !Join ['-', [!FindInMap [RegionMap, !Ref 'AWS::Region', Prefix], !Select [1, !Split ['-', !Ref 'AWS::StackName']], endpoint]]",
);

// Outputs under conditions: an export that exists only in prod, and one whose name only AWS knows.
const conditional = yaml(
  "Parameters:",
  "  Stage: { Type: String, AllowedValues: [dev, prod] }",
  "Conditions:",
  "  IsProd: !Equals [!Ref Stage, prod]",
  "  HasAlarms: !And [!Condition IsProd, !Not [!Equals [!Ref 'AWS::Region', cn-north-1]]]",
  ...topic,
  "  ProdQueue:",
  "    Type: AWS::SQS::Queue",
  "    Condition: IsProd",
  "    Properties: { RedrivePolicy: { deadLetterTargetArn: !ImportValue prod-dlq } }",
  "  Queue:",
  "    Type: AWS::SQS::Queue",
  "    Properties:",
  "      QueueName: !If [IsProd, !ImportValue prod-queue-name, !ImportValue { 'Fn::Sub': '${Stage}-queue-name' }]",
  "Outputs:",
  "  TopicArn:",
  "    Condition: IsProd",
  "    Value: !Ref Topic",
  "    Export: { Name: !Sub 'ExtTopicArn-${Stage}' }",
  "  AlarmTopic:",
  "    Condition: HasAlarms",
  "    Value: !Ref Topic",
  "    Export: { Name: !GetAtt Topic.TopicName }",
  "  Name:",
  "    Value: !If [IsProd, !Ref Topic, none]",
  "    Export: { Name: !If [IsProd, prod-name, !Sub '${Stage}-name'] }",
);

type TRow = [string, string, Partial<TAnalyzeOptions>, Partial<TTemplateAnalysis>];
const rows: TRow[] = [
  [
    "VPC stack: names from the stage's region, the stack name and a Parameter's Default",
    vpcStack,
    { region: "eu-west-1" },
    {
      exports: {
        "eu-west-1-network-dev-VPC": '{"Ref":"VPC"}',
        "network-dev:PublicSubnet1": '{"Ref":"PublicSubnet1"}',
        "dev-VpcCidr": '"10.192.0.0/16"',
      },
      parameters: { EnvironmentName: "dev", VpcCIDR: "10.192.0.0/16" },
    },
  ],
  [
    "VPC stack: a value given for the stage wins over the Default",
    vpcStack,
    { region: "us-west-2", stackName: "network-prod", parameters: { EnvironmentName: "prod" } },
    {
      exports: {
        "us-west-2-network-prod-VPC": '{"Ref":"VPC"}',
        "network-prod:PublicSubnet1": '{"Ref":"PublicSubnet1"}',
        "prod-VpcCidr": '"10.192.0.0/16"',
      },
    },
  ],
  [
    "Fargate service: import names built from a Parameter (Join, Sub, both short and long forms)",
    fargateService,
    { parameters: { StackName: "network-dev" } },
    {
      imports: [
        "network-dev:ClusterName",
        "network-dev:FargateContainerSecurityGroup",
        "network-dev:PrivateSubnetOne",
        "network-dev:VPCId",
      ],
      parameters: { StackName: "network-dev", ServiceName: "nginx" },
    },
  ],
  [
    "CDK producer: literal names; the SSM parameter is passed on, its value left to AWS",
    cdkProducer,
    {},
    {
      exports: {
        "NetworkStack:ExportsOutputRefCluster611F8AFF": '{"Ref":"Cluster611F8AFF"}',
        "NetworkStack:ExportsOutputFnGetAttCluster611F8AFFArn": '{"Fn::GetAtt":["Cluster611F8AFF","Arn"]}',
      },
      parameters: { BootstrapVersion: "/cdk-bootstrap/hnb659fds/version" },
    },
  ],
  ["CDK consumer", cdkConsumer, {}, { imports: ["NetworkStack:ExportsOutputRefCluster611F8AFF"] }],
  [
    "Serverless output: ${sls:stage} in the name; region and URL suffix of the stage in the value",
    serverless,
    { stage: "prod", region: "cn-north-1" },
    {
      exports: {
        "sls-billing-api-prod-ServiceEndpoint":
          '{"Fn::Join":["",["https://",{"Ref":"ApiGatewayRestApi"},".execute-api.cn-north-1.amazonaws.com.cn/prod"]]}',
      },
    },
  ],
  [
    "SAM: what the template states is read; the transform is named in a warning",
    sam,
    { stackName: "hello-dev" },
    {
      exports: {
        "hello-dev-Api": '{"Fn::Join":["",["https://",{"Ref":"ServerlessRestApi"},".execute-api.us-east-1.amazonaws.com/Prod/hello/"]]}',
      },
      imports: ["shared-table-name"],
      transforms: ["AWS::Serverless-2016-10-31"],
      warnings: [
        {
          code: "transform",
          message:
            "the template uses the transform AWS::Serverless-2016-10-31, which AWS runs when it deploys: Sprout reads the exports and imports the template states itself, and the transform may add more",
        },
      ],
    },
  ],
  [
    "Fn::FindInMap by region, Fn::Select of Fn::Split of the stack name",
    byRegion,
    { region: "eu-west-1" },
    { exports: { "euw1-dev-endpoint": '{"Fn::GetAtt":["Topic","TopicName"]}' } },
  ],
  [
    "pseudo parameters of the stage's account and partition",
    yaml(
      ...topic,
      "Outputs:",
      "  A: { Value: !Ref Topic, Export: { Name: !Sub '${AWS::AccountId}-${AWS::Partition}-${AWS::URLSuffix}' } }",
    ),
    { region: "us-gov-west-1", accountId: "123456789012" },
    { exports: { "123456789012-aws-us-gov-amazonaws.com": '{"Ref":"Topic"}' } },
  ],
  [
    "a partition and URL suffix given explicitly win over the region's",
    yaml(...topic, "Outputs:", "  A: { Value: !Ref Topic, Export: { Name: !Sub '${AWS::Partition}/${AWS::URLSuffix}' } }"),
    { region: "eu-west-1", partition: "aws-eusc", urlSuffix: "amazonaws.eu" },
    { exports: { "aws-eusc/amazonaws.eu": '{"Ref":"Topic"}' } },
  ],
  [
    "conditional outputs, dev: the prod-only export is disabled, its unresolvable sibling ignored, Fn::If picks the dev name",
    conditional,
    { parameters: { Stage: "dev" } },
    {
      exports: { "dev-name": '"none"' },
      disabledExports: { "ExtTopicArn-dev": "IsProd" },
      imports: ["dev-queue-name"],
      parameters: { Stage: "dev" },
    },
  ],
  [
    "an export declared twice under opposite conditions is not disabled",
    yaml(
      "Parameters: { Stage: { Type: String } }",
      "Conditions: { IsProd: !Equals [!Ref Stage, prod], IsDev: !Not [!Condition IsProd] }",
      ...topic,
      "Outputs:",
      "  Prod: { Condition: IsProd, Value: prod-topic, Export: { Name: topic } }",
      "  Dev: { Condition: IsDev, Value: dev-topic, Export: { Name: topic } }",
    ),
    { parameters: { Stage: "dev" } },
    { exports: { topic: '"dev-topic"' }, parameters: { Stage: "dev" } },
  ],
  [
    "an output's condition that depends on a value only AWS knows: exported, with a warning",
    yaml(
      "Parameters: { Flag: { Type: 'AWS::SSM::Parameter::Value<String>', Default: /flags/topic } }",
      "Conditions: { On: !Equals [!Ref Flag, 'yes'] }",
      ...topic,
      "Outputs:",
      "  A: { Condition: On, Value: !Ref Topic, Export: { Name: topic-arn } }",
    ),
    {},
    {
      exports: { "topic-arn": '{"Ref":"Topic"}' },
      parameters: { Flag: "/flags/topic" },
      warnings: [
        {
          code: "condition-unknown",
          message:
            "Outputs.A exports only when condition On is true, and that uses Parameter Flag (type AWS::SSM::Parameter::Value<String>), whose value AWS reads from Systems Manager when it deploys: Sprout plans as if it exports",
        },
      ],
    },
  ],
];

describe("export and import names for a stage", () => {
  test.each(rows)("%s", (_name, text, extra, expected) => {
    const analysis = analyzeTemplate(text, { ...base, ...extra });
    expect(analysis).toMatchObject({ exports: {}, imports: [], disabledExports: {}, warnings: [], ...expected });
    for (const key of ["exports", "disabledExports", "imports", "warnings"] as const) {
      if (expected[key]) expect(analysis[key]).toEqual(expected[key]);
    }
  });

  test("conditional outputs, prod: the export exists, and an export name only AWS knows is refused", () => {
    expect(() => analyzeTemplate(conditional, { ...base, parameters: { Stage: "prod" } })).toThrow(
      new TemplateError(
        `Outputs.AlarmTopic.Export.Name: uses Fn::GetAtt Topic.TopicName, whose value only AWS knows; an export name ${KNOWN_BEFORE}`,
        25,
      ),
    );
    const withoutAlarm = conditional.replace(/ {2}AlarmTopic:\n(?: {4}.*\n){3}/, "");
    expect(analyzeTemplate(withoutAlarm, { ...base, parameters: { Stage: "prod" } })).toMatchObject({
      exports: { "ExtTopicArn-prod": '{"Ref":"Topic"}', "prod-name": '{"Ref":"Topic"}' },
      disabledExports: {},
      imports: ["prod-dlq", "prod-queue-name"],
    });
  });
});
