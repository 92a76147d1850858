// The planner's inputs and outputs, and the context its phases share. Kept apart from the planner
// itself so that its helpers (messages.ts) depend on types, not on the planner.
import type { TDeployAction as TStepAction, TServiceMap, TServiceState } from "../domain";
import type { NameIndex } from "./graph";

export interface TPlanInput {
  /** `remove` is a rollback to the empty release: every live service removed, consumers first. */
  kind: "deploy" | "rollback" | "promote" | "remove";
  /** The stage's live state, every service. */
  live: TServiceMap;
  /** deploy/promote: the manifest's services only; rollback: the whole release being restored. */
  target: TServiceMap;
  /** How messages name the restored release, e.g. "#12" (defaults to "the target release"). */
  targetLabel?: string;
}
export interface TPlannedStep {
  service: string;
  action: TStepAction;
  artifact: string | null;
  /** Sorted names of the services whose steps must finish before this one. */
  after: string[];
  /** 1 + the longest chain of `after` edges leading here; roots are phase 1. */
  phase: number;
}
export interface TPlanWarning {
  code: "export-in-use" | "export-value-may-change" | "dependency-changed" | "edge-dropped" | (string & {});
  message: string;
  services: string[];
  exports?: string[];
}
/** Steps in run order: by phase, then name. */
export interface TPlan {
  steps: TPlannedStep[];
  warnings: TPlanWarning[];
}
export interface TPlanError {
  code:
    | "cycle"
    | "dependency-cycle"
    | "export-still-imported"
    | "export-disabled"
    | "unknown-dependency"
    | "duplicate-export"
    | "missing-export"
    | (string & {});
  message: string;
  services: string[];
  exports?: string[];
}
export type TPlanResult = { ok: true; plan: TPlan } | { ok: false; error: TPlanError };

export type TState = TServiceState | undefined;
export type TStuck = { producer: number; exportName: string; clause: string; consumers: number[] };

/** Everything the phases share. Services are numbered in name order: index order is name order. */
export interface TContext {
  rollback: boolean;
  names: string[];
  index: Map<string, number>;
  L: TState[];
  T: TState[];
  /** The world after the build: a deploy leaves services outside its manifest as they are. */
  W: TState[];
  action: (TStepAction | null)[];
  who: NameIndex;
}
