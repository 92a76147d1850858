import { describe, expect, it } from "vitest";
import { maskSecrets } from "./mask";

describe("maskSecrets", () => {
  it.each([
    ["using key AKIAIOSFODNN7EXAMPLE for us-east-1", "using key AKIA**************** for us-east-1"],
    ["aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key=****"],
    ['{"password": "hunter22", "user": "bob"}', '{"password": "****", "user": "bob"}'],
    ["Authorization: Bearer abcdefghijklmnop1234", "Authorization: Bearer ****"],
    ["connect postgresql://app:s3cr3t@db:5432/x", "connect postgresql://app:****@db:5432/x"],
    ["CREATE_COMPLETE AWS::SNS::Topic NotePurchasedTopic", "CREATE_COMPLETE AWS::SNS::Topic NotePurchasedTopic"],
    ["token expired", "token expired"],
    ["\u001b[31mpassword=hunter2 AKIAIOSFODNN7EXAMPLE\u001b[0m", "\u001b[31mpassword=**** AKIA****************\u001b[0m"],
  ])("%s", (input, expected) => {
    expect(maskSecrets(input)).toBe(expected);
  });
});
