import type { TBuildPage, TLiveJson } from "@/lib/core/contracts";
import { permit, type TAccess } from "@/lib/core/roles";
import { CancelButton } from "./cancel-button";
import { RollbackButton } from "./rollback/rollback-button";
import { PromoteButton } from "./promote/promote-button";

/**
 * The actions on one row of a stage's history: Cancel while it is queued, awaiting approval or running, else Promote (a successful build) and Rollback
 * (or why not: the viewer's role, or the build's eligibility). It sits above the row's link
 * (`relative z-10` in the row), so its buttons take their own clicks.
 */
export function BuildRowActions({
  app,
  stage,
  build,
  access,
  guarded,
  live,
  nextStage = null,
}: {
  app: string;
  stage: string;
  build: TBuildPage["builds"][number];
  access: TAccess;
  guarded: boolean;
  live: TLiveJson | null;
  /** a successful build offers "Promote to {nextStage}" */
  nextStage?: string | null;
}) {
  if (build.status === "queued" || build.status === "running" || build.status === "awaiting_approval") {
    return <CancelButton app={app} stage={stage} number={build.number} requested={build.cancelRequested} {...permit(access, "cancel")} />;
  }
  return (
    <span className="flex flex-wrap items-center justify-end gap-2">
      {build.status === "success" && (
        <PromoteButton app={app} stage={stage} number={build.number} status={build.status} to={nextStage} {...permit(access, "promote")} />
      )}
      <RollbackButton
        app={app}
        stage={stage}
        number={build.number}
        eligible={build.rollback.eligible}
        reason={build.rollback.reason}
        guarded={guarded}
        live={live}
        {...permit(access, "rollback")}
      />
    </span>
  );
}
