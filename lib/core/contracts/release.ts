// The JSON of the release flow: a stage's pin, the promote plan, notification targets and their
// deliveries.
import type { TPlan } from "../planner/types";
import type { TResourceChange } from "../resource-changes";
import type { TDeliveryEvent, TTargetEvents, TTargetKind } from "../notifications/events";
import type { TBlocking } from "./builds";

/** A stage pinned by a successful rollback. */
export interface TPinJson {
  /** the build whose release the rollback restored: what the stage is pinned to */
  build: number;
  /** the rollback build that pinned it */
  rollback: number | null;
  /** who queued that rollback ("user:ada@example.com") */
  by: string;
  at: string;
  /** the rollback's reason, if it gave one */
  reason: string | null;
}

export interface TPromotePlanStep {
  service: string;
  action: TPlan["steps"][number]["action"];
  artifact: string | null;
  after: string[];
  phase: number;
  /** resources added, modified and removed in the target stage's stack */
  resources: TResourceChange[];
  /** change-set: CloudFormation's answer for this stack; templates: the two templates compared (sandbox, or no stack yet) */
  resourcesFrom: "templates" | "change-set";
}

export interface TPromotePlan {
  from: { stage: string; number: number };
  to: string;
  order: string;
  steps: TPromotePlanStep[];
  warnings: (TPlan["warnings"][number] & { plain: string })[];
  /** change-set when the stage's driver asks its target (cloudformation: change sets, deleted after); templates: compared by Sprout */
  resourcesFrom: "templates" | "change-set";
  /** the target stage is pinned: a promote needs force, which unpins it */
  pinned: TPinJson | null;
  /** the promote build will wait for another deployer's approval */
  requireApproval: boolean;
  /** importers outside the app of exports this promote drops: nothing may run */
  blocking: TBlocking[];
}

export interface TNotificationJson {
  id: number;
  kind: TTargetKind;
  /** the URL with its tokens masked, or the email address */
  label: string;
  events: TTargetEvents;
  createdBy: string;
  createdAt: string;
  /** the newest delivery, to show at a glance whether the target works */
  lastDelivery: { status: TDeliveryJson["status"]; event: string; at: string } | null;
}

export interface TDeliveryJson {
  id: number;
  event: TDeliveryEvent;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lastError: string | null;
  /** the HTTP status of the last answer (webhook, slack) */
  responseCode: number | null;
  createdAt: string;
  updatedAt: string;
}
