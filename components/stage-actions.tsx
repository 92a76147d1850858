import Link from "next/link";
import { RefreshStageButton } from "./refresh-stage-button";

/** The stage page's header actions: read the live state back from the account, and the stage's settings. */
export function StageActions({ app, stage }: { app: string; stage: string }) {
  return (
    <div className="flex flex-wrap items-start gap-2">
      <RefreshStageButton app={app} stage={stage} />
      <Link
        href={`/apps/${app}/stages/${stage}/settings`}
        className="rounded-md bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
      >
        Settings
      </Link>
    </div>
  );
}
