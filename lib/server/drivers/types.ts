import "server-only";

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
  /** aborted when the worker must stop at once */
  signal: AbortSignal;
}

export interface TDeployInput {
  stage: TDriverStage;
  service: string;
  stackName: string;
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
}

export interface TPreflightInput {
  stage: TDriverStage;
  /** the stacks of the app's services in this stage: the planner orders those; any other importer is foreign */
  knownStacks: string[];
  /** exports a service's stack has now and will not have after the build */
  droppedExports: { exportName: string; service: string }[];
}

/** A stack as deployed in the target account, as read back by refresh. */
export interface TStackSnapshot {
  template: string;
  status: string;
  /** the parameter values it was deployed with */
  parameters: Record<string, string>;
}

export interface TDriver {
  /** The stage's region and account id (pseudo parameters of every template it deploys). */
  identity(stage: TDriverStage): Promise<TStageIdentity>;
  /** changed: false when the target already had exactly this template ("No updates are to be performed.") */
  deploy(input: TDeployInput, ctx: TStepContext): Promise<{ changed: boolean }>;
  remove(input: TRemoveInput, ctx: TStepContext): Promise<void>;
  /** Dropped exports that stacks outside knownStacks import (AWS would refuse the build half-way). Omitted: all stacks are known. */
  preflight?(input: TPreflightInput): Promise<{ exportName: string; importers: string[] }[]>;
  /** What is really deployed, per stack name; null where no stack (with resources) exists. */
  readStacks?(stage: TDriverStage, stackNames: string[]): Promise<Record<string, TStackSnapshot | null>>;
}

export class DriverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DriverError";
  }
}
