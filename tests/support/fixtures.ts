// Real CloudFormation shapes for the tests: the seed's billing-api and notify-job, and a generic
// service that exports and imports what it is told. `seconds` steers the sandbox's duration.
import { expect } from "vitest";

type TTemplate = Record<string, unknown>;

export function billingApi(opts: { topic: boolean; seconds?: number; fail?: string }): TTemplate {
  const resources: TTemplate = {
    BillingFunction: {
      Type: "AWS::Lambda::Function",
      Properties: { Handler: "billing.main", Runtime: "nodejs20.x", FunctionName: "billing-api-${stage}-billing" },
    },
  };
  const outputs: TTemplate = {};
  if (opts.topic) {
    resources.NotePurchasedTopic = { Type: "AWS::SNS::Topic", Properties: { TopicName: "note-purchased-${stage}" } };
    outputs.NotePurchasedTopicArn = { Value: { Ref: "NotePurchasedTopic" }, Export: { Name: "ExtNotePurchasedTopicArn-${stage}" } };
  }
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Metadata: { Sprout: { deploySeconds: opts.seconds ?? 0.2, ...(opts.fail ? { fail: opts.fail } : {}) } },
    Resources: resources,
    ...(opts.topic ? { Outputs: outputs } : {}),
  };
}

export function notifyJob(opts: { imports: boolean; seconds?: number }): TTemplate {
  const props: TTemplate = { Handler: "notify.main", Runtime: "nodejs20.x", FunctionName: "notify-job-${stage}-notify" };
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Metadata: { Sprout: { deploySeconds: opts.seconds ?? 0.2 } },
    Resources: {
      NotifyFunction: { Type: "AWS::Lambda::Function", Properties: props },
      ...(opts.imports
        ? {
            NotifySubscription: {
              Type: "AWS::SNS::Subscription",
              Properties: {
                Protocol: "lambda",
                Endpoint: { "Fn::GetAtt": ["NotifyFunction", "Arn"] },
                TopicArn: { "Fn::ImportValue": "ExtNotePurchasedTopicArn-${stage}" },
              },
            },
          }
        : {}),
    },
  };
}

/** A service that exports `exports` (names, `${stage}` allowed) and imports `imports`. */
export function service(opts: { exports?: string[]; imports?: string[]; seconds?: number; fail?: string; version?: number }): TTemplate {
  const resources: TTemplate = {
    Fn: {
      Type: "AWS::Lambda::Function",
      Properties: { Handler: "index.main", Runtime: "nodejs20.x", Description: `v${opts.version ?? 1}` },
    },
  };
  (opts.imports ?? []).forEach((name, i) => {
    resources[`Param${i}`] = {
      Type: "AWS::SSM::Parameter",
      Properties: { Name: `/p/${name}`, Type: "String", Value: { "Fn::ImportValue": name } },
    };
  });
  const outputs = Object.fromEntries(
    (opts.exports ?? []).map((name, i) => [`Out${i}`, { Value: { "Fn::GetAtt": ["Fn", "Arn"] }, Export: { Name: name } }]),
  );
  return {
    Metadata: { Sprout: { deploySeconds: opts.seconds ?? 0.2, ...(opts.fail ? { fail: opts.fail } : {}) } },
    Resources: resources,
    ...(Object.keys(outputs).length ? { Outputs: outputs } : {}),
  };
}

let shaCounter = 0;
export function commit(message: string) {
  shaCounter += 1;
  return { sha: shaCounter.toString(16).padStart(40, "a"), message, author: "Jay <jay@example.com>", branch: "master" };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) expect.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
