// The refusal of a template too large to pass inline, measured as CloudFormation receives it.
import { expect, test } from "vitest";
import { deployedTemplateBytes, inlineTooLargeMessage } from ".";

test("a template over 51,200 bytes without templateBucket: the size, the limit and the fix", () => {
  expect(inlineTooLargeMessage("services[0].template (producer)", 60_123, "prod")).toBe(
    "services[0].template (producer) is 60,123 bytes; CloudFormation takes at most 51,200 bytes inline. Name an S3 bucket in stage prod's settings (templateBucket) for Sprout to upload it to.",
  );
});

test("the size is the one CloudFormation receives: after ${stage} is replaced, in UTF-8 bytes", () => {
  const template = `Resources: { T: { Type: AWS::SNS::Topic, Properties: { TopicName: "\${stage}-é" } } }`;
  expect(deployedTemplateBytes(template, "production")).toBe(template.length - "${stage}".length + "production".length + 1);
});
