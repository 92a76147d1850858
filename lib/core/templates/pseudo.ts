// AWS's pseudo parameters for one stack: its region, account, partition, URL suffix and name.
import { Unknown, type TParamValue } from "./intrinsics";

export interface TPseudoOptions {
  stackName: string;
  /** The stage's region; default us-east-1. */
  region?: string;
  /** The stage's account; default 000000000000 (the sandbox's). */
  accountId?: string;
  /** Set when the account could not be learned: why, and AWS::AccountId is then a value only AWS knows. */
  accountUnknown?: string;
  /** Default: the region's partition (aws, aws-cn, aws-us-gov, ...). */
  partition?: string;
  /** Default: the partition's domain (amazonaws.com, amazonaws.com.cn, ...). */
  urlSuffix?: string;
}

const PARTITIONS: [prefix: string, partition: string, urlSuffix: string][] = [
  ["cn-", "aws-cn", "amazonaws.com.cn"],
  ["us-gov-", "aws-us-gov", "amazonaws.com"],
  ["us-isob-", "aws-iso-b", "sc2s.sgov.gov"],
  ["us-isof-", "aws-iso-f", "csp.hci.ic.gov"],
  ["eu-isoe-", "aws-iso-e", "cloud.adc-e.uk"],
  ["us-iso-", "aws-iso", "c2s.ic.gov"],
];

export function partitionOf(region: string): string {
  return PARTITIONS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? "aws";
}

export function pseudoParameters(opts: TPseudoOptions): Map<string, TParamValue> {
  const region = opts.region ?? "us-east-1";
  const partition = opts.partition ?? partitionOf(region);
  const urlSuffix = opts.urlSuffix ?? PARTITIONS.find(([, p]) => p === partition)?.[2] ?? "amazonaws.com";
  return new Map<string, TParamValue>([
    ["AWS::Region", region],
    [
      "AWS::AccountId",
      opts.accountUnknown === undefined
        ? (opts.accountId ?? "000000000000")
        : new Unknown({ Ref: "AWS::AccountId" }, `AWS::AccountId, which ${opts.accountUnknown}`),
    ],
    ["AWS::Partition", partition],
    ["AWS::URLSuffix", urlSuffix],
    ["AWS::StackName", opts.stackName],
    ["AWS::NoValue", ""],
    ["AWS::StackId", new Unknown({ Ref: "AWS::StackId" }, "AWS::StackId, whose value only AWS knows")],
    ["AWS::NotificationARNs", new Unknown({ Ref: "AWS::NotificationARNs" }, "AWS::NotificationARNs, whose value only AWS knows")],
  ]);
}
