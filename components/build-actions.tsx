import type { TBuildView } from "@/lib/core/contracts";
import { permit } from "@/lib/core/roles";
import { RedeployButton } from "./redeploy-button";
import { BuildAction, isActiveBuild, type TBuildActionsProps } from "./build-action";

/** The actions in a build page's header, each disabled with the reason when the viewer's role may not. */
export function BuildActions(props: TBuildActionsProps<TBuildView>) {
  const { app, stage, build, access } = props;
  const active = isActiveBuild(build.status);
  return (
    <div className="flex flex-wrap items-center gap-2">
      {active && <BuildAction action="cancel" {...props} />}
      {!active && <BuildAction action="promote" {...props} />}
      {!active && build.kind !== "rollback" && (
        <RedeployButton app={app} stage={stage} number={build.number} {...permit(access, "redeploy")} />
      )}
      {!active && <BuildAction action="rollback" {...props} />}
    </div>
  );
}
