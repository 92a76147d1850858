import type { TBuildView, TLiveJson } from "@/lib/core/contracts";
import { permit, type TAccess } from "@/lib/core/roles";
import { CancelButton } from "./cancel-button";
import { RedeployButton } from "./redeploy-button";
import { PromoteButton } from "./promote/promote-button";
import { RollbackButton } from "./rollback/rollback-button";

/** The actions in a build page's header, each disabled with the reason when the viewer's role may not. */
export function BuildActions({
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
  build: TBuildView;
  access: TAccess;
  guarded: boolean;
  live: TLiveJson | null;
  /** where Promote sends it: the next stage of the pipeline */
  nextStage?: string | null;
}) {
  const active = build.status === "queued" || build.status === "running" || build.status === "awaiting_approval";
  return (
    <div className="flex flex-wrap items-center gap-2">
      {active && (
        <CancelButton app={app} stage={stage} number={build.number} requested={build.cancelRequested} {...permit(access, "cancel")} />
      )}
      {!active && (
        <PromoteButton app={app} stage={stage} number={build.number} status={build.status} to={nextStage} {...permit(access, "promote")} />
      )}
      {!active && build.kind !== "rollback" && (
        <RedeployButton app={app} stage={stage} number={build.number} {...permit(access, "redeploy")} />
      )}
      {!active && (
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
      )}
    </div>
  );
}
