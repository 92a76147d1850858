import type { TBuildPage } from "@/lib/core/contracts";
import { BuildAction, isActiveBuild, type TBuildActionsProps } from "./build-action";

/**
 * The actions on one row of a stage's history: Cancel while it is queued, awaiting approval or running, else Promote (a successful build) and Rollback
 * (or why not: the viewer's role, or the build's eligibility). It sits above the row's link
 * (`relative z-10` in the row), so its buttons take their own clicks.
 */
export function BuildRowActions(props: TBuildActionsProps<TBuildPage["builds"][number]>) {
  const { build } = props;
  if (isActiveBuild(build.status)) return <BuildAction action="cancel" {...props} />;
  return (
    <span className="flex flex-wrap items-center justify-end gap-2">
      {build.status === "success" && <BuildAction action="promote" {...props} />}
      <BuildAction action="rollback" {...props} />
    </span>
  );
}
