import Link from "next/link";
import type { TDeployOptions } from "@/lib/core/contracts";
import { permit, type TAccess } from "@/lib/core/roles";
import { SMALL_BUTTON_BASE } from "@/components/ui/button";
import { DeployButton } from "@/components/deploy/deploy-button";
import { RefreshStageButton } from "./refresh-stage-button";

/** The stage page's header actions: deploy from git (deployers), read the live state back from the account (admins), and the stage's settings. */
export function StageActions({
  app,
  stage,
  access,
  branch,
  guarded,
  deploy,
}: {
  app: string;
  stage: string;
  access: TAccess;
  branch: string | null;
  guarded: boolean;
  deploy: TDeployOptions;
}) {
  return (
    <div className="flex flex-wrap items-start gap-2">
      <DeployButton app={app} stage={stage} branch={branch} guarded={guarded} options={deploy} {...permit(access, "deploy")} />
      <RefreshStageButton app={app} stage={stage} {...permit(access, "refresh")} />
      <Link href={`/apps/${app}/stages/${stage}/settings`} className={SMALL_BUTTON_BASE}>
        Settings
      </Link>
    </div>
  );
}
