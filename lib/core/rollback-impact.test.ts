import { describe, expect, it } from "vitest";
import { commitsUndone, plainWarning, releaseSource, type TImpactBuild } from "./rollback-impact";
import { destructiveNotes, resourceChanges } from "./resource-changes";
import { liveFloor, pickLiveBuild, type TLiveCandidate } from "./live";

const deploy = (number: number, over: Partial<TImpactBuild> = {}): TImpactBuild => ({
  number,
  kind: "deploy",
  rollbackOf: null,
  redeployOf: null,
  started: true,
  commit: { sha: `sha${number}`, message: `commit ${number}`, author: "Maya" },
  ...over,
});
const rollbackTo = (number: number, of: number) => deploy(number, { kind: "rollback", rollbackOf: of, commit: deploy(of).commit });

describe("releaseSource", () => {
  const builds = new Map([deploy(12), deploy(13), rollbackTo(14, 12), rollbackTo(15, 13), rollbackTo(16, 14)].map((b) => [b.number, b]));
  it.each([
    [13, 13, "a deploy's release is its own"],
    [15, 13, "a rollback's is the build it restored"],
    [16, 12, "a rollback to a rollback follows the chain"],
    [99, 99, "an unknown build stops there"],
  ])("#%i comes from #%i: %s", (n, source) => {
    expect(releaseSource(n, (k) => builds.get(k))).toBe(source);
  });
});

describe("commitsUndone", () => {
  it.each<[string, TImpactBuild[], number, number, string[]]>([
    ["the commits after the target up to the live one, newest first", [deploy(11), deploy(12), deploy(13)], 11, 13, ["sha13", "sha12"]],
    ["a roll forward undoes nothing", [deploy(12), deploy(13)], 13, 12, []],
    ["the same release undoes nothing", [deploy(12)], 12, 12, []],
    [
      "rollbacks and redeploys bring no new commit; a failed build's commit is undone too",
      [
        deploy(12),
        deploy(13, { commit: { sha: "bad", message: "broken", author: null } }),
        rollbackTo(14, 12),
        deploy(15),
        deploy(16, { redeployOf: 15 }),
      ],
      12,
      16,
      ["sha15", "bad"],
    ],
    ["a build canceled before it started deployed nothing", [deploy(13), deploy(14, { started: false })], 12, 14, ["sha13"]],
    [
      "one commit deployed twice is listed once, at its newest build",
      [deploy(13), deploy(14, { commit: deploy(13).commit })],
      12,
      14,
      ["sha13"],
    ],
  ])("%s", (_, builds, from, to, shas) => {
    expect(commitsUndone(builds, from, to).map((c) => c.sha)).toEqual(shas);
  });

  it("names each commit's build, message and author", () => {
    expect(commitsUndone([deploy(13)], 12, 13)).toEqual([{ build: 13, sha: "sha13", message: "commit 13", author: "Maya" }]);
  });
});

describe("resourceChanges", () => {
  const fn = (code: string) => ({ Type: "AWS::Lambda::Function", Properties: { Code: { S3Key: code }, Handler: "h" } });
  it("lists removed, modified and added logical ids with their types", () => {
    const before = {
      Bucket: { Type: "AWS::S3::Bucket" },
      Fn: fn("v2"),
      Topic: { Type: "AWS::SNS::Topic" },
      Kept: { Type: "AWS::DynamoDB::Table", DeletionPolicy: "Retain" },
      Same: { Type: "AWS::Logs::LogGroup", Properties: { A: 1, B: 2 } },
    };
    const after = {
      Fn: fn("v1"),
      Topic: { Type: "AWS::SQS::Queue" },
      Same: { Properties: { B: 2, A: 1 }, Type: "AWS::Logs::LogGroup" },
      Role: { Type: "AWS::IAM::Role" },
    };
    expect(resourceChanges(before, after)).toEqual([
      { logicalId: "Bucket", type: "AWS::S3::Bucket", change: "removed" },
      { logicalId: "Kept", type: "AWS::DynamoDB::Table", change: "removed", retained: true },
      { logicalId: "Fn", type: "AWS::Lambda::Function", change: "modified" },
      { logicalId: "Topic", type: "AWS::SQS::Queue", change: "modified", fromType: "AWS::SNS::Topic" },
      { logicalId: "Role", type: "AWS::IAM::Role", change: "added" },
    ]);
  });

  it("a removed stack loses every resource; a new one adds every one", () => {
    expect(resourceChanges({ A: { Type: "AWS::S3::Bucket" } }, {})).toEqual([
      { logicalId: "A", type: "AWS::S3::Bucket", change: "removed" },
    ]);
    expect(resourceChanges({}, { A: { Type: "AWS::S3::Bucket" } })).toEqual([{ logicalId: "A", type: "AWS::S3::Bucket", change: "added" }]);
  });
});

describe("destructiveNotes", () => {
  it("names what a removed stack and an update delete, data first, leaving retained resources and harmless steps out", () => {
    const notes = destructiveNotes([
      {
        service: "analytics-job",
        action: "remove",
        resources: [
          { logicalId: "RecordPurchaseSnsSubscription", type: "AWS::SNS::Subscription", change: "removed" },
          { logicalId: "ServerlessDeploymentBucket", type: "AWS::S3::Bucket", change: "removed" },
          { logicalId: "Archive", type: "AWS::DynamoDB::Table", change: "removed", retained: true },
        ],
      },
      { service: "billing-api", action: "update", resources: [{ logicalId: "Topic", type: "AWS::SNS::Topic", change: "removed" }] },
      { service: "notify-job", action: "update", resources: [{ logicalId: "Fn", type: "AWS::Lambda::Function", change: "modified" }] },
    ]);
    expect(notes.map((n) => n.message)).toEqual([
      "analytics-job will be deleted: S3 bucket ServerlessDeploymentBucket, SNS subscription RecordPurchaseSnsSubscription; data is not restored",
      "billing-api loses a resource: SNS topic Topic; data is not restored",
    ]);
    expect(notes[0]!.removesStack).toBe(true);
  });
});

describe("plainWarning", () => {
  it("says why consumers go first in words", () => {
    const w = {
      code: "export-in-use",
      message:
        "billing-api drops export Topic-prod, imported by analytics-job, notify-job in the live state: analytics-job, notify-job go first",
      services: ["billing-api", "analytics-job", "notify-job"],
      exports: ["Topic-prod"],
    };
    expect(plainWarning(w, true)).toBe(
      "billing-api stops exporting Topic-prod, which analytics-job and notify-job use today: analytics-job and notify-job are rolled back first, so that AWS accepts the change.",
    );
  });
  it("keeps a message it has no words for", () => {
    expect(plainWarning({ code: "something-new", message: "as the planner says", services: [] }, true)).toBe("as the planner says");
  });
});

describe("pickLiveBuild", () => {
  const rel = (v: number) => ({ api: `a${v}`, web: `w${v}` });
  const c = (number: number, over: Partial<TLiveCandidate> = {}): TLiveCandidate => ({
    number,
    kind: "deploy",
    status: "success",
    rollbackOf: null,
    release: rel(number),
    started: true,
    ...over,
  });
  it.each<[string, Record<string, string>, TLiveCandidate[], ReturnType<typeof pickLiveBuild>]>([
    ["the newest build whose release is live", rel(13), [c(13), c(12)], { build: 13, releaseOf: null, status: "success" }],
    [
      "a rollback, with the build it restored",
      rel(13),
      [c(15, { kind: "rollback", rollbackOf: 13, release: rel(13) }), c(14)],
      { build: 15, releaseOf: 13, status: "success" },
    ],
    [
      "a failed build that changed nothing is not it",
      rel(13),
      [c(14, { status: "failed", release: rel(13) }), c(13)],
      { build: 13, releaseOf: null, status: "success" },
    ],
    [
      "a failed build that changed some services is",
      rel(14),
      [c(14, { status: "failed" }), c(13)],
      { build: 14, releaseOf: null, status: "failed" },
    ],
    [
      "a build canceled before it started is not",
      rel(13),
      [c(14, { status: "canceled", release: rel(13), started: false }), c(13)],
      { build: 13, releaseOf: null, status: "success" },
    ],
    ["nothing matches while a build changes the stage", { api: "a14", web: "w13" }, [c(13)], null],
    ["nothing deployed", {}, [c(1, { release: {} })], null],
  ])("%s", (_, live, candidates, expected) => {
    expect(pickLiveBuild(live, candidates)).toEqual(expected);
  });

  it("starts looking at the newest build that wrote the live state", () => {
    expect(liveFloor([{ buildNumber: 12 }, { buildNumber: 15 }, { buildNumber: 0 }])).toBe(15);
    expect(liveFloor([])).toBe(0);
  });
});
