// What AWS adds when it deploys and Sprout cannot see: snippets that Fn::Transform includes, and
// nested stacks. Both are read as written, and a warning says what is not planned.
import { describe, expect, test } from "vitest";
import { analyzeTemplate, parseTemplate } from ".";

const yaml = (...ls: string[]) => `${ls.join("\n")}\n`;
const opts = { stage: "dev", stackName: "net-dev", service: "net" };
const UNSEEN = "exports and imports it adds are not planned nor checked by Sprout";

describe("Fn::Transform as a key: a snippet or a macro's output where it stands", () => {
  test("AWS::Include in Resources and Outputs is read, and each include is named in a warning", () => {
    const text = yaml(
      "Resources:",
      "  Topic: { Type: AWS::SNS::Topic }",
      "  'Fn::Transform':",
      "    Name: AWS::Include",
      "    Parameters: { Location: 's3://shared/queues.yaml' }",
      "Outputs:",
      "  Arn: { Value: !Ref Topic, Export: { Name: !Sub '${AWS::StackName}-topic' } }",
      "  Fn::Transform: { Name: AWS::Include, Parameters: { Location: 's3://shared/outputs.yaml' } }",
    );
    const analysis = analyzeTemplate(text, opts);
    expect(analysis.resources).toEqual([{ logicalId: "Topic", type: "AWS::SNS::Topic" }]);
    expect(analysis.exports).toEqual({ "net-dev-topic": '{"Ref":"Topic"}' });
    expect(analysis.warnings).toEqual([
      {
        code: "include",
        message: `Resources.Fn::Transform: AWS::Include inserts the snippet s3://shared/queues.yaml when AWS deploys, and Sprout cannot read it: ${UNSEEN} (inline the snippet to have them checked)`,
      },
      {
        code: "include",
        message: `Outputs.Fn::Transform: AWS::Include inserts the snippet s3://shared/outputs.yaml when AWS deploys, and Sprout cannot read it: ${UNSEEN} (inline the snippet to have them checked)`,
      },
    ]);
    // the drivers read the stored template as written too
    expect(Object.keys(parseTemplate(text).Resources as object)).toEqual(["Topic", "Fn::Transform"]);
  });

  test("a macro named by Fn::Transform inside a resource is named in a warning", () => {
    const text = yaml(
      "Resources:",
      "  Topic:",
      "    Type: AWS::SNS::Topic",
      "    Properties:",
      "      Fn::Transform: { Name: TeamDefaults, Parameters: { Team: payments } }",
    );
    expect(analyzeTemplate(text, opts).warnings).toEqual([
      {
        code: "transform",
        message: `Resources.Topic.Properties.Fn::Transform: Fn::Transform runs the macro TeamDefaults when AWS deploys: ${UNSEEN}`,
      },
    ]);
  });
});

test("a nested stack is read, with a warning that its exports and imports are not planned", () => {
  const text = yaml(
    "Resources:",
    "  Network:",
    "    Type: AWS::CloudFormation::Stack",
    "    Properties: { TemplateURL: 'https://s3.amazonaws.com/shared/vpc.yaml' }",
    "  Topic: { Type: AWS::SNS::Topic }",
    "Outputs:",
    "  Vpc: { Value: !GetAtt Network.Outputs.VpcId, Export: { Name: net-vpc } }",
  );
  const analysis = analyzeTemplate(text, opts);
  expect(analysis.exports).toEqual({ "net-vpc": '{"Fn::GetAtt":["Network","Outputs.VpcId"]}' });
  expect(analysis.warnings).toEqual([
    {
      code: "nested-stack",
      message:
        "Resources.Network is a nested stack (AWS::CloudFormation::Stack): Sprout does not read its template, so the exports it makes and the imports it needs are not planned nor checked (deploy it as its own service to have them checked)",
    },
  ]);
});
