import { describe, expect, it } from "vitest";
import { maskSecrets, secretMasker } from "./mask";

describe("maskSecrets", () => {
  it.each([
    ["using key AKIAIOSFODNN7EXAMPLE for us-east-1", "using key AKIA**************** for us-east-1"],
    ["aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key=****"],
    ['{"password": "hunter22", "user": "bob"}', '{"password": "****", "user": "bob"}'],
    ["Authorization: Bearer abcdefghijklmnop1234", "Authorization: Bearer ****"],
    ["connect postgresql://app:s3cr3t@db:5432/x", "connect postgresql://app:****@db:5432/x"],
    ["CREATE_COMPLETE AWS::SNS::Topic NotePurchasedTopic", "CREATE_COMPLETE AWS::SNS::Topic NotePurchasedTopic"],
    ["token expired", "token expired"],
    ["Parameter Url references {{secret:API_URL}}", "Parameter Url references {{secret:API_URL}}"],
    ["\u001b[31mpassword=hunter2 AKIAIOSFODNN7EXAMPLE\u001b[0m", "\u001b[31mpassword=**** AKIA****************\u001b[0m"],
  ])("%s", (input, expected) => {
    expect(maskSecrets(input)).toBe(expected);
  });
});

describe("secretMasker", () => {
  const mask = secretMasker(["s3cr3t-value", "line one of a key\nline two of a key", 'quote"d-secret']);

  it.each([
    ["s3cr3t-value", "****"],
    ["connecting with token=s3cr3t-value to the API", "connecting with token=**** to the API"],
    ["prefix-s3cr3t-value-suffix and again s3cr3t-value", "prefix-****-suffix and again ****"],
    ["\u001b[31mfailed: s3cr3t-value\u001b[0m", "\u001b[31mfailed: ****\u001b[0m"],
    ["line two of a key", "****"],
    ['{"value":"quote\\"d-secret"}', '{"value":"****"}'],
    ["nothing secret here", "nothing secret here"],
  ])("%j", (input, expected) => {
    expect(mask(input)).toBe(expected);
  });

  it("still hides what looks like a credential", () => {
    expect(secretMasker([])("password=hunter22")).toBe("password=****");
  });
});
