// The domain's words as types (docs/architecture.md, "Words"), shared by the pure core (planner,
// templates, eligibility), the server, the worker and the browser. No imports: safe everywhere.

/** `remove` deletes every service's stack, consumers first (a closed pull request's stage). */
export const BUILD_KINDS = ["deploy", "rollback", "promote", "remove"] as const;
export type TBuildKind = (typeof BUILD_KINDS)[number];

/** `skipped`: ended without running (superseded by a newer push, or its stage pinned). */
export const BUILD_STATUSES = ["queued", "running", "success", "failed", "canceled", "skipped", "awaiting_approval", "rejected"] as const;
export type TBuildStatus = (typeof BUILD_STATUSES)[number];
export const TERMINAL_BUILD_STATUSES: readonly TBuildStatus[] = ["success", "failed", "canceled", "skipped", "rejected"];

/** What queued a build: a git push, a person in the dashboard, a script's token, a rollback, a promote. */
export const BUILD_TRIGGERS = ["push", "manual", "api", "rollback", "promote"] as const;
export type TBuildTrigger = (typeof BUILD_TRIGGERS)[number];

/** checkout and package are a source build's: the commit read, a service built from source. */
export const STEP_ACTIONS = ["checkout", "package", "create", "update", "remove", "unchanged"] as const;
export type TStepAction = (typeof STEP_ACTIONS)[number];
/** The steps that deploy (or remove) a service's stack. */
export type TDeployAction = Exclude<TStepAction, "checkout" | "package">;

export const STEP_STATUSES = ["pending", "running", "success", "failed", "skipped", "canceled", "unchanged"] as const;
export type TStepStatus = (typeof STEP_STATUSES)[number];
export const TERMINAL_STEP_STATUSES: readonly TStepStatus[] = ["success", "failed", "skipped", "canceled", "unchanged"];

export const DRIVERS = ["sandbox", "cloudformation"] as const;
export type TDriverName = (typeof DRIVERS)[number];

/** Names of apps, stages and services are slugs. */
export const SLUG_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A step's key in its build: a service (its deploy step), "package:<service>", or "checkout". */
export const STEP_KEY_RE = /^(?:checkout|(?:package:)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/;
export const packageKey = (service: string) => `package:${service}`;
export const CHECKOUT_KEY = "checkout";

/**
 * What the planner knows of one service, in the live state (L) or in a build's target (T).
 * `exports` maps an export name to a canonical text of its value (equal text = same value; see
 * `isKnownExportValue`); `imports` lists the export names it imports. Both are resolved for the
 * stage (`${stage}`, parameters, region, account).
 */
export interface TServiceState {
  artifact: string;
  exports: Record<string, string>;
  imports: string[];
  dependsOn: string[];
  /** Exports the template declares under an Output whose Condition is false for the stage: name -> condition. */
  disabledExports?: Record<string, string>;
}

export type TServiceMap = Record<string, TServiceState>;

/** A release: the stage's live state at a build's end, service -> artifact digest. */
export type TRelease = Record<string, string>;

/**
 * Whether an export's canonical value text (`TServiceState.exports`) is a value Sprout knows (a JSON
 * string, `"arn:aws:..."`) rather than an expression only AWS resolves (`{"Ref":"Topic"}`). Texts
 * not made by the template reader (older states, tests) count as known.
 */
export function isKnownExportValue(text: string): boolean {
  return !(text.startsWith("{") || text.startsWith("["));
}
