import "server-only";
import crypto from "node:crypto";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { inlineTooLargeMessage, partitionOf } from "@/lib/core/templates";
import { driverErrorOf } from "./cfn-client";
import { DriverError, type TDriverStage, type TStageIdentity } from "./types";

// The account side of the cloudformation driver: which account the worker's credentials reach
// (AWS::AccountId, asked of STS once per target and cached), and where templates too large to pass
// inline go (an S3 bucket named in the stage's settings, under a content-addressed key).

const regionOf = (stage: TDriverStage) => stage.region ?? process.env.AWS_REGION ?? "us-east-1";
const endpointOf = (stage: TDriverStage) => stage.endpoint ?? process.env.AWS_ENDPOINT_URL ?? undefined;
const profile = () => process.env.SPROUT_AWS_PROFILE || undefined;
const targetKey = (stage: TDriverStage) => JSON.stringify([regionOf(stage), endpointOf(stage) ?? null, profile() ?? null]);

const accounts = new Map<string, Promise<string>>();

export async function identity(stage: TDriverStage): Promise<TStageIdentity> {
  const region = regionOf(stage);
  const key = targetKey(stage);
  let account = accounts.get(key);
  if (!account) {
    const sts = new STSClient({ region, endpoint: endpointOf(stage), profile: profile() });
    account = sts.send(new GetCallerIdentityCommand({})).then((out) => {
      if (!out.Account) throw new DriverError("STS GetCallerIdentity answered no account id.");
      return out.Account;
    });
    accounts.set(key, account);
    account.catch(() => accounts.delete(key)); // a credentials hiccup must not stick
  }
  try {
    return { region, accountId: await account };
  } catch (e) {
    const err = driverErrorOf(e);
    throw new DriverError(`Could not learn the AWS account of stage ${stage.name} (STS GetCallerIdentity): ${err.message}`);
  }
}

/**
 * Where CloudFormation reads a template too large to pass inline: uploaded once to the stage's
 * bucket under `sprout/templates/<sha256>.template`, answered as the https URL CloudFormation takes.
 */
export async function uploadTemplate(stage: TDriverStage, template: string): Promise<string> {
  const bytes = Buffer.byteLength(template);
  if (!stage.templateBucket) {
    throw new DriverError(inlineTooLargeMessage("The template", bytes, stage.name));
  }
  const region = regionOf(stage);
  const endpoint = endpointOf(stage);
  const key = `sprout/templates/${crypto.createHash("sha256").update(template).digest("hex")}.template`;
  const s3 = new S3Client({ region, endpoint, profile: profile(), forcePathStyle: endpoint !== undefined });
  try {
    await s3.send(new PutObjectCommand({ Bucket: stage.templateBucket, Key: key, Body: template, ContentType: "text/plain" }));
  } catch (e) {
    throw new DriverError(`Could not upload the template to s3://${stage.templateBucket}/${key}: ${driverErrorOf(e).message}`);
  }
  // an emulator serves the virtual-hosted form of the global endpoint; AWS the regional one
  if (endpoint) return `https://${stage.templateBucket}.s3.amazonaws.com/${key}`;
  const suffix = partitionOf(region) === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://${stage.templateBucket}.s3.${region}.${suffix}/${key}`;
}
