// The JSON the API answers about builds: the history, one build with its steps, log pages, the
// rollback plan. Shared by the server that writes it and the browser that reads it.
import type { TBuildKind, TBuildStatus, TBuildTrigger, TStepAction, TStepStatus } from "../domain";
import type { TPlan } from "../planner/types";
import type { TDestructiveNote, TResourceChange } from "../resource-changes";
import type { TUndoneCommit } from "../rollback-impact";
import type { TLiveBuild } from "../live";

export interface TStepJson {
  /** the step's name in its build: the service for a deploy step, "package:<service>", "checkout" */
  key: string;
  /** null for a source build's checkout */
  service: string | null;
  action: TStepAction;
  status: TStepStatus;
  phase: number;
  /** keys of the steps that must finish before this one */
  after: string[];
  artifact: string | null;
  /** the CloudFormation parameter values it deploys with (NoEcho ones as ****); null for a removal */
  parameters: Record<string, string> | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface TBuildJson {
  number: number;
  kind: TBuildKind;
  status: TBuildStatus;
  rollbackOf: number | null;
  redeployOf: number | null;
  trigger: TBuildTrigger;
  /** a source build: what it was asked to build */
  source: { ref: string; services: string[] | null; force: boolean } | null;
  /** a push build replaced by a newer push before it started */
  supersededBy: number | null;
  /** why it ended without running (superseded, pinned) */
  skippedReason: string | null;
  /** a promote: the build whose artifacts it deploys here */
  promotedFrom: { stage: string; number: number } | null;
  /** a partial rollback: the services it restores (the others kept their live artifact); null for a whole release */
  rollbackServices: string[] | null;
  /** who let it run when its stage requires approval */
  approvedBy: string | null;
  commit: { sha: string; message: string; author: string | null; branch: string | null };
  triggeredBy: string;
  /** why it was queued (a rollback's optional reason) */
  reason: string | null;
  error: string | null;
  cancelRequested: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface TBuildDetailJson extends TBuildJson {
  warnings: { code: string; message: string; services: string[] }[];
  /** the seq of its last log line: a page opens its live stream after it and reads the tails of its logs */
  logSeq: number;
  steps: TStepJson[];
}

export interface TBuildPage {
  builds: (TBuildJson & { rollback: TRollbackState })[];
  /** pass as `before` for the next (older) page; null when this page reaches build #1 */
  nextBefore: number | null;
}

export interface TRollbackState {
  eligible: boolean;
  /** why not, in words for the user; null when eligible */
  reason: string | null;
}

/** A build as its page shows it: with its steps, and the rollbacks that restored it. */
export interface TBuildView extends TBuildDetailJson {
  /** numbers of the rollback builds of this stage whose target is this build */
  rolledBackBy: number[];
  /** whether this build can be rolled back to, and if not why */
  rollback: TRollbackState;
  /** queued but held: this earlier build of the stage awaits approval, and the stage's queue waits behind it */
  heldBehind: number | null;
}

export interface TLogLineJson {
  seq: number;
  service: string | null;
  time: string;
  text: string;
}

export interface TLogPage {
  lines: TLogLineJson[];
  /** pass as `after` for the next page; null when no more lines exist yet (or the page was read backwards) */
  nextAfter: number | null;
  /** read backwards (`tail`, `before`): pass as `before` for the lines before these; null at the log's start */
  prevBefore?: number | null;
  /** read backwards: how many lines come before the first one of this page */
  earlier?: number;
}

export interface TBlocking {
  exportName: string;
  /** the app's service whose stack exports it now */
  service: string;
  /** stacks outside the app that import it */
  importers: string[];
}

export interface TRollbackPlanStep extends TPlanStep {
  changes: boolean;
  /** the build whose artifact of this service is live now (null: not live, or recorded by a refresh) */
  fromBuild: number | null;
  /** the build that deployed the artifact restored (null: the service is removed, or no build within reach deployed it) */
  toBuild: number | null;
  /** resources added, modified and removed, from the two templates */
  resources: TResourceChange[];
}

type TPlanStep = TPlan["steps"][number];

export interface TRollbackPlan {
  target: number;
  /** what is live now, as the stage JSON has it: the dialog's "#13 → #12" */
  live: TLiveBuild | null;
  order: string;
  steps: TRollbackPlanStep[];
  /** the planner's warnings, each with `plain`: the same in words for someone in an incident */
  warnings: (TPlan["warnings"][number] & { plain: string })[];
  /** the commits leaving the stage, newest first (empty for a roll forward) */
  commitsUndone: TUndoneCommit[];
  /** more commits than listed are undone */
  commitsTruncated: boolean;
  /** what is deleted for good: removed stacks and resources an update drops */
  destructive: TDestructiveNote[];
  /** a rollback to this build already queued or running, which Confirm would answer with */
  pending: number | null;
  /** importers outside the app of exports this rollback drops (driver preflight): nothing may run */
  blocking: TBlocking[];
  /** a partial rollback: the services restored, and those that move with the picked ones and why */
  partial: { picked: string[]; services: string[]; moved: { service: string; reason: string }[] } | null;
}
