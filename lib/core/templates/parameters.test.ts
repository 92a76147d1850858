// Parameters for a stage: the value each takes (given, else Default), checked as CloudFormation
// checks it, and every refusal naming the parameter, the rule and the fix.
import { describe, expect, test } from "vitest";
import { TemplateError, analyzeTemplate } from ".";

const yaml = (...ls: string[]) => `${ls.join("\n")}\n`;
const withParameters = (...spec: string[]) =>
  yaml("Parameters:", ...spec.map((l) => `  ${l}`), "Resources:", "  Topic:", "    Type: AWS::SNS::Topic");
const analyze = (text: string, parameters?: Record<string, string>) =>
  analyzeTemplate(text, { stage: "dev", stackName: "billing-api-dev", service: "billing-api", parameters });

const accepted: [string, string[], Record<string, string> | undefined, Record<string, string>][] = [
  ["a Default", ["Env: { Type: String, Default: dev }"], undefined, { Env: "dev" }],
  ["a given value wins over the Default", ["Env: { Type: String, Default: dev }"], { Env: "qa" }, { Env: "qa" }],
  ["a number Default is its text", ["Count: { Type: Number, Default: 3, MinValue: 1, MaxValue: 5 }"], undefined, { Count: "3" }],
  ["a decimal within bounds", ["Ratio: { Type: Number, MinValue: 0, MaxValue: 1 }"], { Ratio: "0.25" }, { Ratio: "0.25" }],
  ["List<Number>", ["Ports: { Type: 'List<Number>', Default: '80, 443' }"], undefined, { Ports: "80, 443" }],
  [
    "CommaDelimitedList items checked one by one",
    ["Envs: { Type: CommaDelimitedList, AllowedValues: [dev, prod] }"],
    { Envs: "dev, prod" },
    { Envs: "dev, prod" },
  ],
  ["AllowedValues of numbers compare as numbers", ["Size: { Type: Number, AllowedValues: [1, 2] }"], { Size: "2.0" }, { Size: "2.0" }],
  ["AllowedPattern matches the whole value", ["Name: { Type: String, AllowedPattern: '[a-z]+' }"], { Name: "abc" }, { Name: "abc" }],
  ["MinLength and MaxLength", ["Name: { Type: String, MinLength: 2, MaxLength: 3 }"], { Name: "abc" }, { Name: "abc" }],
  ["an AWS-specific type is a string", ["Vpc: { Type: 'AWS::EC2::VPC::Id' }"], { Vpc: "vpc-0abc" }, { Vpc: "vpc-0abc" }],
  [
    "a list of AWS-specific values",
    ["Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' }"],
    { Subnets: "subnet-1,subnet-2" },
    { Subnets: "subnet-1,subnet-2" },
  ],
  [
    "an SSM parameter's name is passed on",
    ["Ami: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: /amis/latest }"],
    undefined,
    { Ami: "/amis/latest" },
  ],
  ["a NoEcho value is passed on", ["Secret: { Type: String, NoEcho: true }"], { Secret: "s3cr3t" }, { Secret: "s3cr3t" }],
];

describe("parameter values for the stage", () => {
  test.each(accepted)("%s", (_name, spec, given, passed) => {
    expect(analyze(withParameters(...spec), given).parameters).toEqual(passed);
  });

  test("NoEcho parameters are listed so that their values are never shown", () => {
    expect(
      analyze(withParameters("Secret: { Type: String, NoEcho: true }", "Plain: { Type: String, Default: x }"), { Secret: "s" })
        .noEchoParameters,
    ).toEqual(["Secret"]);
  });

  test("a value given for a parameter the template does not declare is not passed, with a warning", () => {
    const analysis = analyze(withParameters("Env: { Type: String, Default: dev }"), { Env: "qa", Old: "x" });
    expect(analysis.parameters).toEqual({ Env: "qa" });
    expect(analysis.warnings).toEqual([
      {
        code: "unused-parameter",
        message:
          "a value is given for parameter Old, which the template does not declare: it is not passed to CloudFormation (remove it from the parameters for billing-api, or declare it under Parameters)",
      },
    ]);
  });

  test("an AllowedPattern JavaScript could take ages on is left to AWS, with a warning", () => {
    const analysis = analyze(withParameters("Name: { Type: String, AllowedPattern: '(a+)+b' }"), { Name: "a".repeat(40) });
    expect(analysis.parameters).toEqual({ Name: "a".repeat(40) });
    expect(analysis.warnings.map((w) => w.code)).toEqual(["unchecked-pattern"]);
  });
});

const refused: [string, string[], Record<string, string> | undefined, string][] = [
  [
    "a required parameter with no value",
    ["ProjectName: { Type: String }"],
    undefined,
    `Parameters.ProjectName: has no value and no Default: give it a value in the stage's settings (parameters for billing-api) or in the manifest's "parameters" for billing-api, or add a Default to the template`,
  ],
  [
    "a value outside AllowedValues",
    ["Env: { Type: String, AllowedValues: [dev, prod] }"],
    { Env: "qa" },
    'Parameters.Env: the value given for it, "qa", is not one of AllowedValues (dev, prod): give one of them',
  ],
  [
    "a Default outside AllowedValues",
    ["Env: { Type: String, Default: qa, AllowedValues: [dev, prod] }"],
    undefined,
    'Parameters.Env: its Default, "qa", is not one of AllowedValues (dev, prod): give one of them',
  ],
  [
    "a list item outside AllowedValues",
    ["Envs: { Type: CommaDelimitedList, AllowedValues: [dev, prod] }"],
    { Envs: "dev,qa" },
    'Parameters.Envs: the value given for it, "dev,qa", is not made of AllowedValues (dev, prod): give items from that list',
  ],
  [
    "a value that does not match AllowedPattern, with the template's description",
    ["Name: { Type: String, AllowedPattern: '[a-z]+', ConstraintDescription: lower-case letters only }"],
    { Name: "ab1" },
    'Parameters.Name: the value given for it, "ab1", does not match AllowedPattern [a-z]+ (lower-case letters only): give a value that matches it',
  ],
  [
    "a NoEcho value is never shown",
    ["Secret: { Type: String, NoEcho: true, MinLength: 12 }"],
    { Secret: "short" },
    "Parameters.Secret: the value given for it (not shown: NoEcho) is shorter than MinLength 12: give at least 12 characters",
  ],
  [
    "a value longer than MaxLength",
    ["Name: { Type: String, MaxLength: 3 }"],
    { Name: "abcd" },
    'Parameters.Name: the value given for it, "abcd", is longer than MaxLength 3: give at most 3 characters',
  ],
  [
    "a Number that is not a number",
    ["Count: { Type: Number }"],
    { Count: "three" },
    'Parameters.Count: the value given for it, "three", is not a number: give a number such as 42 or 0.5',
  ],
  [
    "a number below MinValue",
    ["Count: { Type: Number, MinValue: 1 }"],
    { Count: "0" },
    'Parameters.Count: the value given for it, "0", is below MinValue 1: give at least 1',
  ],
  [
    "a number above MaxValue",
    ["Count: { Type: Number, MaxValue: 5 }"],
    { Count: "6" },
    'Parameters.Count: the value given for it, "6", is above MaxValue 5: give at most 5',
  ],
  [
    "a List<Number> with an item too big",
    ["Ports: { Type: 'List<Number>', MaxValue: 1024 }"],
    { Ports: "80,8080" },
    'Parameters.Ports: the value given for it, "80,8080", has an item above MaxValue 1024: give at most 1024',
  ],
  [
    "a List<Number> with a word",
    ["Ports: { Type: 'List<Number>' }"],
    { Ports: "80,http" },
    'Parameters.Ports: the value given for it, "80,http", is not a list of numbers: give a number such as 42 or 0.5',
  ],
  [
    "a type CloudFormation does not know",
    ["Env: { Type: Text }"],
    undefined,
    "Parameters.Env.Type: Text is not a parameter type CloudFormation knows: use String, Number, List<Number>, CommaDelimitedList, an AWS-specific type such as AWS::EC2::VPC::Id, or AWS::SSM::Parameter::Value<String>",
  ],
  [
    "a parameter without a Type",
    ["Env: { Default: dev }"],
    undefined,
    "Parameters.Env.Type: must be one of String, Number, List<Number>, CommaDelimitedList, an AWS-specific type such as AWS::EC2::VPC::Id, or AWS::SSM::Parameter::Value<String>",
  ],
  ["a parameter that is not a mapping", ["Env: dev"], undefined, "Parameters.Env: must be a mapping with a Type"],
];

describe("parameter values refused", () => {
  test.each(refused)("%s", (_name, spec, given, reason) => {
    expect(() => analyze(withParameters(...spec), given)).toThrow(new TemplateError(reason, 2, "billing-api"));
  });

  test("the message names the service and the line", () => {
    expect(() => analyze(withParameters("Env: { Type: String }"))).toThrow(/^billing-api template, line 2: Parameters\.Env: has no value/);
  });

  test("Parameters that is not a mapping", () => {
    expect(() => analyze(yaml("Parameters: [Env]", "Resources:", "  T: { Type: AWS::SNS::Topic }"))).toThrow(
      new TemplateError("Parameters: must be a mapping of parameter names to their Type, Default, ...", 1, "billing-api"),
    );
  });
});
