import Link from "next/link";
import type { TBuildView, TStageInfo } from "@/lib/core/contracts";
import { shortSha } from "@/lib/client/format";
import { isTerminalBuild } from "@/lib/client/hooks/use-build-events";
import { isGuardedStage } from "@/lib/core/stages";
import { actorLabel, type TAccess } from "@/lib/core/roles";
import { BuildActions } from "@/components/build-actions";
import { BuildKind } from "@/components/build-kind";
import { authorName, BuildTrigger } from "@/components/build-trigger";
import { Duration } from "@/components/duration";
import { LiveBadge } from "@/components/live-summary";
import { StatusBadge } from "@/components/status-badge";
import { TimeAgo } from "@/components/time-ago";
import { ApprovalPanel } from "./approval-panel";

/** Whether this build is what runs: "Live", or "Not live · live is #15" (with a link). */
function LiveState({ app, stage, build }: { app: string; stage: TStageInfo; build: TBuildView }) {
  if (stage.live?.build === build.number) return <LiveBadge />;
  if (!isTerminalBuild(build)) return null;
  return (
    <span className="text-sm text-slate-700" data-testid="not-live">
      Not live
      {stage.live && (
        <>
          {" · live is "}
          <Link
            href={`/apps/${app}/stages/${stage.name}/builds/${stage.live.build}`}
            className="font-semibold text-blue-700 hover:underline"
          >
            #{stage.live.build}
          </Link>
          {stage.live.releaseOf !== null && ` (release of #${stage.live.releaseOf})`}
        </>
      )}
    </span>
  );
}

export function BuildHeader({
  app,
  stage,
  build,
  access,
  me = null,
}: {
  app: string;
  stage: TStageInfo;
  build: TBuildView;
  access: TAccess;
  /** the viewer's label ("user:ada@example.com"): who queued a build may not approve it */
  me?: string | null;
}) {
  const c = build.commit;
  return (
    <header className="rounded-xl border border-slate-200 bg-white p-5 shadow-xs">
      <div className="flex flex-wrap items-center gap-3">
        <StatusBadge status={build.status} size="md" />
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Build #{build.number}</h1>
        <BuildKind app={app} stage={stage.name} build={build} className="rounded-md bg-slate-100 px-2 py-0.5 text-sm text-slate-800" />
        <LiveState app={app} stage={stage} build={build} />
        {build.cancelRequested && !isTerminalBuild(build) && <span className="text-sm text-amber-800">Cancel requested…</span>}
        <div className="ml-auto flex items-center gap-2">
          <BuildActions
            app={app}
            stage={stage.name}
            build={build}
            access={access}
            guarded={isGuardedStage(stage)}
            live={stage.live}
            nextStage={stage.nextStage}
          />
        </div>
      </div>
      <p className="mt-3 text-base text-slate-800">
        <span className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 font-mono text-sm text-slate-700" title={c.sha}>
          {shortSha(c.sha)}
        </span>
        {c.message}
      </p>
      <ApprovalPanel app={app} stage={stage.name} build={build} access={access} me={me} />
      {build.skippedReason && (
        <p className="mt-2 text-sm text-slate-700" data-testid="skipped-reason">
          <span className="font-medium">{build.status === "rejected" ? "Rejected" : "Skipped"}:</span>{" "}
          {build.status === "rejected" ? build.skippedReason.replace(/^rejected /, "") : build.skippedReason}
        </p>
      )}
      {build.reason && (
        <p className="mt-2 text-sm text-slate-800" data-testid="build-reason">
          <span className="font-medium">Reason:</span> {build.reason}
        </p>
      )}
      <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 border-t border-slate-100 pt-4 text-sm sm:grid-cols-3 lg:grid-cols-6">
        <Meta label="Author">{c.author ? <span title={c.author}>{authorName(c.author)}</span> : "—"}</Meta>
        <Meta label="Branch">{c.branch ? <span className="font-mono text-xs">{c.branch}</span> : "—"}</Meta>
        <Meta label="Triggered by">
          <span data-testid="triggered-by" title={build.triggeredBy}>
            {actorLabel(build.triggeredBy)}
          </span>{" "}
          <BuildTrigger trigger={build.trigger} />
          {build.approvedBy && (
            <span className="block text-xs font-normal text-slate-600" data-testid="approved-by">
              approved by {actorLabel(build.approvedBy)}
            </span>
          )}
        </Meta>
        <Meta label="Created">
          <TimeAgo iso={build.createdAt} />
        </Meta>
        <Meta label="Started">{build.startedAt ? <TimeAgo iso={build.startedAt} /> : "—"}</Meta>
        <Meta label="Duration">
          <Duration startedAt={build.startedAt} finishedAt={build.finishedAt} />
        </Meta>
      </dl>
    </header>
  );
}

function Meta({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-600">{label}</dt>
      <dd className="mt-0.5 truncate font-medium text-slate-800">{children}</dd>
    </div>
  );
}
