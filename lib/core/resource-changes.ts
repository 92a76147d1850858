// What a step does to a service's CloudFormation resources, read from the two templates: resources
// added, modified and removed by logical id, and which removals lose data. Pure.
import { canonicalJson } from "./templates";

export type TResourceChangeKind = "added" | "modified" | "removed";

export interface TResourceChange {
  logicalId: string;
  type: string;
  change: TResourceChangeKind;
  /** modified: the type before, when the type itself changes (CloudFormation replaces the resource) */
  fromType?: string;
  /** removed: DeletionPolicy Retain or Snapshot, so CloudFormation keeps it (or a snapshot of it) */
  retained?: boolean;
}

type TResources = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const typeOf = (r: unknown) => (isObject(r) && typeof r.Type === "string" ? r.Type : "unknown type");
const keeps = (r: unknown) => isObject(r) && (r.DeletionPolicy === "Retain" || r.DeletionPolicy === "Snapshot");

/** The `Resources` of a parsed template (null: the service does not exist on that side). */
export function resourcesOf(template: Record<string, unknown> | null): TResources {
  return template && isObject(template.Resources) ? template.Resources : {};
}

/** Changes from `before` to `after`, removed first, then modified, then added, each by logical id. */
export function resourceChanges(before: TResources, after: TResources): TResourceChange[] {
  const out: TResourceChange[] = [];
  const ids = (r: TResources) => Object.keys(r).sort();
  for (const id of ids(before)) {
    if (!Object.hasOwn(after, id)) {
      out.push({ logicalId: id, type: typeOf(before[id]), change: "removed", ...(keeps(before[id]) ? { retained: true } : {}) });
    }
  }
  for (const id of ids(after)) {
    if (!Object.hasOwn(before, id) || canonicalJson(before[id]) === canonicalJson(after[id])) continue;
    const [from, to] = [typeOf(before[id]), typeOf(after[id])];
    out.push({ logicalId: id, type: to, change: "modified", ...(from !== to ? { fromType: from } : {}) });
  }
  for (const id of ids(after)) if (!Object.hasOwn(before, id)) out.push({ logicalId: id, type: typeOf(after[id]), change: "added" });
  return out;
}

// Readable names of the types a serverless app holds most; any other type is shown as it is.
const TYPE_WORDS: Record<string, string> = {
  "AWS::S3::Bucket": "S3 bucket",
  "AWS::DynamoDB::Table": "DynamoDB table",
  "AWS::DynamoDB::GlobalTable": "DynamoDB global table",
  "AWS::RDS::DBInstance": "RDS database",
  "AWS::RDS::DBCluster": "RDS cluster",
  "AWS::SQS::Queue": "SQS queue",
  "AWS::SNS::Topic": "SNS topic",
  "AWS::SNS::Subscription": "SNS subscription",
  "AWS::Lambda::Function": "Lambda function",
  "AWS::Lambda::Permission": "Lambda permission",
  "AWS::Logs::LogGroup": "log group",
  "AWS::IAM::Role": "IAM role",
  "AWS::Events::Rule": "EventBridge rule",
  "AWS::Kinesis::Stream": "Kinesis stream",
  "AWS::EFS::FileSystem": "EFS file system",
  "AWS::Cognito::UserPool": "Cognito user pool",
  "AWS::SecretsManager::Secret": "secret",
  "AWS::CloudFront::Distribution": "CloudFront distribution",
  "AWS::ApiGateway::RestApi": "API Gateway API",
  "AWS::SSM::Parameter": "SSM parameter",
};

export const typeWords = (type: string) => TYPE_WORDS[type] ?? type;

// Types whose deletion loses data (objects, rows, messages, logs, users, secrets): named first.
const HOLDS_DATA = new Set([
  "AWS::S3::Bucket",
  "AWS::DynamoDB::Table",
  "AWS::DynamoDB::GlobalTable",
  "AWS::RDS::DBInstance",
  "AWS::RDS::DBCluster",
  "AWS::SQS::Queue",
  "AWS::Kinesis::Stream",
  "AWS::EFS::FileSystem",
  "AWS::Logs::LogGroup",
  "AWS::Cognito::UserPool",
  "AWS::SecretsManager::Secret",
]);

export interface TDestructiveNote {
  service: string;
  /** the whole stack is deleted (a `remove` step), not only some of its resources */
  removesStack: boolean;
  /** what is deleted for good (retained resources are left out) */
  resources: { logicalId: string; type: string }[];
  message: string;
}

const MAX_NAMED = 4;

/**
 * What a build deletes, per service: every resource of a removed stack, and the resources an
 * update drops, those that hold data first. "analytics-job will be deleted: S3 bucket
 * ServerlessDeploymentBucket, …; data is not restored".
 */
export function destructiveNotes(steps: { service: string; action: string; resources: TResourceChange[] }[]): TDestructiveNote[] {
  const notes: TDestructiveNote[] = [];
  for (const s of steps) {
    const gone = s.resources
      .filter((r) => r.change === "removed" && !r.retained)
      .map(({ logicalId, type }) => ({ logicalId, type }))
      .sort((a, b) => Number(HOLDS_DATA.has(b.type)) - Number(HOLDS_DATA.has(a.type)) || a.logicalId.localeCompare(b.logicalId));
    const removesStack = s.action === "remove";
    if (!removesStack && gone.length === 0) continue;
    const named = gone.slice(0, MAX_NAMED).map((r) => `${typeWords(r.type)} ${r.logicalId}`);
    const more = gone.length > MAX_NAMED ? ` and ${gone.length - MAX_NAMED} more` : "";
    const list = named.length ? `: ${named.join(", ")}${more}` : "";
    const message = removesStack
      ? `${s.service} will be deleted${list}; data is not restored`
      : `${s.service} loses ${gone.length === 1 ? "a resource" : `${gone.length} resources`}${list}; data is not restored`;
    notes.push({ service: s.service, removesStack, resources: gone, message });
  }
  return notes;
}
