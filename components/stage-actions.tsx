import Link from "next/link";
import { permit, type TAccess } from "@/lib/core/roles";
import { SMALL_BUTTON_BASE } from "@/components/ui/button";
import { RefreshStageButton } from "./refresh-stage-button";

/** The stage page's header actions: read the live state back from the account (admins), and the stage's settings. */
export function StageActions({ app, stage, access }: { app: string; stage: string; access: TAccess }) {
  return (
    <div className="flex flex-wrap items-start gap-2">
      <RefreshStageButton app={app} stage={stage} {...permit(access, "refresh")} />
      <Link href={`/apps/${app}/stages/${stage}/settings`} className={SMALL_BUTTON_BASE}>
        Settings
      </Link>
    </div>
  );
}
