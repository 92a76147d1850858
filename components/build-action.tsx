import type { TBuildView, TLiveJson } from "@/lib/core/contracts";
import type { TBuildStatus } from "@/lib/core/domain";
import { permit, type TAccess } from "@/lib/core/roles";
import { CancelButton } from "./cancel-button";
import { PromoteButton } from "./promote/promote-button";
import { RollbackButton } from "./rollback/rollback-button";

/** What a build's actions read of it: a history row and a build page's header both have these. */
export type TActionBuild = Pick<TBuildView, "number" | "status" | "cancelRequested" | "rollback">;

export interface TBuildActionsProps<B extends TActionBuild = TActionBuild> {
  app: string;
  stage: string;
  build: B;
  access: TAccess;
  guarded: boolean;
  live: TLiveJson | null;
  /** where Promote sends a build: the next stage of the pipeline */
  nextStage?: string | null;
}

/** Queued, awaiting approval or running: such a build may be canceled, and nothing else. */
export const isActiveBuild = (status: TBuildStatus) => status === "queued" || status === "running" || status === "awaiting_approval";

/** One action on a build, or a button that says why the viewer's role may not take it. */
export function BuildAction({
  action,
  app,
  stage,
  build,
  access,
  guarded,
  live,
  nextStage = null,
}: TBuildActionsProps & { action: "cancel" | "promote" | "rollback" }) {
  const common = { app, stage, number: build.number, ...permit(access, action) };
  if (action === "cancel") return <CancelButton {...common} requested={build.cancelRequested} />;
  if (action === "promote") return <PromoteButton {...common} status={build.status} to={nextStage} />;
  return <RollbackButton {...common} eligible={build.rollback.eligible} reason={build.rollback.reason} guarded={guarded} live={live} />;
}
