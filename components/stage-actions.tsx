import Link from "next/link";
import { permit, type TAccess } from "@/lib/roles";
import { RefreshStageButton } from "./refresh-stage-button";

/** The stage page's header actions: read the live state back from the account (admins), and the stage's settings. */
export function StageActions({ app, stage, access }: { app: string; stage: string; access: TAccess }) {
  return (
    <div className="flex flex-wrap items-start gap-2">
      <RefreshStageButton app={app} stage={stage} {...permit(access, "refresh")} />
      <Link
        href={`/apps/${app}/stages/${stage}/settings`}
        className="rounded-md bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
      >
        Settings
      </Link>
    </div>
  );
}
