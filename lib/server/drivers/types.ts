import "server-only";
import type { TStackGuard } from "@/lib/core/stacks";
import type { TResourceChange } from "@/lib/core/resource-changes";

// A driver is what actually deploys an artifact to a stage's target (docs/architecture.md, "Drivers").
// It throws a DriverError whose message is the target's own reason (AWS's wording) to fail a step.

export interface TDriverStage {
  id: number;
  name: string;
  region: string | null;
  endpoint: string | null;
  /** the sandbox's account id setting */
  accountId: string | null;
  /** where the cloudformation driver uploads templates over 51,200 bytes */
  templateBucket: string | null;
}

/** The account a stage deploys to, as AWS::Region and AWS::AccountId name it. */
export interface TStageIdentity {
  region: string;
  accountId: string;
}

export interface TStepContext {
  /** one line of the step's log (masked and stored in order) */
  log(text: string): void;
  /** aborted when the step must stop: its reason (a TStopReason) says why, see stopReason() */
  signal: AbortSignal;
}

export interface TDeployInput {
  stage: TDriverStage;
  service: string;
  stackName: string;
  /** whose stack it is and what Sprout's records say of it: an existing stack whose tags do not fit is refused */
  guard: TStackGuard;
  /** the artifact's template with `${stage}` substituted */
  template: string;
  artifact: string;
  /** CloudFormation parameter values (every declared Parameter) */
  parameters: Record<string, string>;
}

export interface TRemoveInput {
  stage: TDriverStage;
  service: string;
  stackName: string;
  guard: TStackGuard;
}

export interface TPreflightInput {
  stage: TDriverStage;
  /** the stacks of the app's services in this stage: the planner orders those; any other importer is foreign */
  knownStacks: string[];
  /** exports a service's stack has now and will not have after the build */
  droppedExports: { exportName: string; service: string }[];
}

/** A stack as deployed in the target account, as read back by refresh; `refused` (with why) when it is not the stage's to read. */
export type TStackSnapshot =
  | {
      template: string;
      status: string;
      adopted: boolean;
      /** the parameter values it was deployed with */
      parameters: Record<string, string>;
    }
  | { refused: string };

export interface TDriver {
  /** The stage's region and account id (pseudo parameters of every template it deploys). */
  identity(stage: TDriverStage): Promise<TStageIdentity>;
  /** changed: false when the target already had exactly this template ("No updates are to be performed."); adopted: it took over a stack Sprout did not create */
  deploy(input: TDeployInput, ctx: TStepContext): Promise<{ changed: boolean; adopted?: boolean }>;
  remove(input: TRemoveInput, ctx: TStepContext): Promise<{ adopted?: boolean } | void>;
  /** Dropped exports that stacks outside knownStacks import (AWS would refuse the build half-way). Omitted: all stacks are known. */
  preflight?(input: TPreflightInput): Promise<{ exportName: string; importers: string[] }[]>;
  /** What deploying `input` would change in the stack, as the target says (a change set, deleted after); null when the stack does not exist. Omitted: compare templates. */
  previewChanges?(input: TDeployInput): Promise<TResourceChange[] | null>;
  /** What is really deployed, per stack name; null where no stack (with resources) exists. */
  readStacks?(stage: TDriverStage, stacks: { name: string; guard: TStackGuard }[]): Promise<Record<string, TStackSnapshot | null>>;
  /**
   * A step of this driver whose worker died mid-way may simply run again: whatever it did is whole
   * or not done at all, and running it again converges. Omitted: the step fails as "worker lost".
   */
  rerunsSafely?: boolean;
}

export class DriverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DriverError";
  }
}

/** The stack exists and is not the stage's to touch (another app's tags, or none and no adoption). */
export class StackOwnershipError extends DriverError {}

/**
 * Why a step's signal was aborted. On `cancel` and `timeout` the driver stops the operation (or
 * waits for what cannot be stopped to settle); on `shutdown` the step is handed back to the next
 * worker, which resumes it; `lost-lease`: another worker owns the build now.
 */
export type TStopReason = { kind: "cancel" } | { kind: "timeout"; limit: string } | { kind: "shutdown" } | { kind: "lost-lease" };

export function stopReason(signal: AbortSignal): TStopReason {
  const r = signal.reason as TStopReason | undefined;
  return r && typeof r === "object" && "kind" in r ? r : { kind: "shutdown" };
}

/** A step stopped before it finished; `message` says what the driver left behind. */
export class StepStopped extends DriverError {
  constructor(
    readonly reason: TStopReason,
    message: string,
  ) {
    super(message);
    this.name = "StepStopped";
  }
}

const STOP_WORDS: Record<TStopReason["kind"], (r: TStopReason) => string> = {
  cancel: () => "Canceled",
  timeout: (r) => `Timed out after ${(r as { limit: string }).limit}`,
  shutdown: () => "Stopped: the worker shut down",
  "lost-lease": () => "Stopped: another worker took this build over",
};

/** The StepStopped for an aborted signal: "Canceled: <outcome>", "Timed out after 60 min: <outcome>"... */
export function stepStopped(signal: AbortSignal, outcome: string): StepStopped {
  const reason = stopReason(signal);
  return new StepStopped(reason, `${STOP_WORDS[reason.kind](reason)}: ${outcome}`);
}
