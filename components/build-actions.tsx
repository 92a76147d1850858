import type { TBuildView } from "@/lib/api-types";
import { CancelButton } from "./cancel-button";
import { RedeployButton } from "./redeploy-button";
import { RollbackButton } from "./rollback-button";

/** The actions in a build page's header. */
export function BuildActions({ app, stage, build }: { app: string; stage: string; build: TBuildView }) {
  const active = build.status === "queued" || build.status === "running";
  return (
    <div className="flex flex-wrap items-center gap-2">
      {active && <CancelButton app={app} stage={stage} number={build.number} requested={build.cancelRequested} />}
      {!active && build.kind !== "rollback" && <RedeployButton app={app} stage={stage} number={build.number} />}
      {!active && <RollbackButton app={app} stage={stage} number={build.number} eligible={build.rollback.eligible} reason={build.rollback.reason} />}
    </div>
  );
}
