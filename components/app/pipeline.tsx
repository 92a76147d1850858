import Link from "next/link";
import type { TStageSummary } from "@/lib/core/contracts";
import { shortSha } from "@/lib/client/format";
import { LiveSummary } from "@/components/live-summary";
import { StatusBadge } from "@/components/status-badge";
import { TimeAgo } from "@/components/time-ago";
import { PinIcon } from "@/components/stage/pin-icon";

/** The app's stages in pipeline order: left to right on a wide screen, top to bottom on a phone. Pull requests' stages have their own row (PrStages). */
export function Pipeline({ app, stages: all }: { app: string; stages: TStageSummary[] }) {
  const stages = all.filter((s) => !s.pullRequest);
  if (stages.length === 0) {
    return <p className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">No stages yet.</p>;
  }
  return (
    <ol className="flex flex-col items-stretch gap-0 sm:flex-row sm:overflow-x-auto sm:pb-2" aria-label="Stages">
      {stages.map((s, i) => (
        <li key={s.name} className="flex shrink-0 flex-col items-stretch sm:flex-row sm:items-center">
          {i > 0 && <PipelineArrow />}
          <StageCard app={app} stage={s} />
        </li>
      ))}
    </ol>
  );
}

export function StageCard({ app, stage }: { app: string; stage: TStageSummary }) {
  const b = stage.latestBuild;
  return (
    <Link
      href={`/apps/${app}/stages/${stage.name}`}
      prefetch
      data-stage={stage.name}
      className="group flex h-full w-full flex-col rounded-xl border border-slate-200 bg-white p-4 shadow-xs transition hover:border-slate-300 hover:shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-500 sm:w-72"
    >
      <div className="flex items-center justify-between gap-2">
        <h3 className="truncate text-base font-semibold text-slate-900 group-hover:text-blue-700">{stage.name}</h3>
        <span className="rounded-md bg-slate-100 px-1.5 py-0.5 font-mono text-[11px] text-slate-700">{stage.driver}</span>
      </div>
      <StageBranch stage={stage} />
      {stage.pullRequest && (
        <p className="mt-1 truncate text-sm text-slate-700" title={stage.pullRequest.title ?? undefined} data-testid="pull-request">
          <span className="font-medium">PR #{stage.pullRequest.number}</span>
          {stage.pullRequest.title ? ` · ${stage.pullRequest.title}` : ""}
        </p>
      )}
      <p className="mt-2 text-sm text-slate-800">
        <LiveSummary app={app} stage={stage.name} live={stage.live} latest={b} links={false} />
      </p>
      {stage.pinned && (
        <p className="mt-1 flex items-center gap-1 text-xs font-medium text-amber-800" data-testid="stage-pinned">
          <PinIcon />
          Pinned to #{stage.pinned.build} after a rollback
        </p>
      )}
      {b ? (
        <div className="mt-2 space-y-2 border-t border-slate-100 pt-2">
          <div className="flex items-center gap-2">
            <span className="text-xs text-slate-600">Latest</span>
            <StatusBadge status={b.status} />
            <span className="text-sm font-medium text-slate-800">#{b.number}</span>
            <span className="ml-auto text-xs text-slate-600">
              <TimeAgo iso={b.createdAt} />
            </span>
          </div>
          <p className="truncate text-sm text-slate-700" title={b.commit.message}>
            <span className="mr-1.5 font-mono text-xs text-slate-600">{shortSha(b.commit.sha)}</span>
            {b.commit.message}
          </p>
        </div>
      ) : (
        <p className="mt-3 text-sm text-slate-600">No builds yet</p>
      )}
    </Link>
  );
}

/** The branch a stage tracks, and whether a push to it deploys the stage or someone deploys it by hand. */
export function StageBranch({
  stage,
  className = "mt-1 flex",
}: {
  stage: Pick<TStageSummary, "branch" | "autoDeploy">;
  className?: string;
}) {
  if (!stage.branch) return null;
  return (
    <span className={`items-center gap-1.5 text-xs text-slate-600 ${className}`} data-testid="stage-branch">
      <BranchIcon />
      <span className="font-mono text-slate-800">{stage.branch}</span>{" "}
      <span>· {stage.autoDeploy ? "deploys on push" : "deploys by hand"}</span>
    </span>
  );
}

function BranchIcon() {
  return (
    <svg aria-hidden viewBox="0 0 16 16" className="size-3.5 shrink-0 text-slate-500" fill="none" stroke="currentColor" strokeWidth="1.5">
      <circle cx="4.5" cy="3.5" r="1.5" />
      <circle cx="4.5" cy="12.5" r="1.5" />
      <circle cx="11.5" cy="5.5" r="1.5" />
      <path d="M4.5 5v6M11.5 7c0 2.5-2 3-5.5 4" strokeLinecap="round" />
    </svg>
  );
}

function PipelineArrow() {
  return (
    <svg
      aria-hidden
      viewBox="0 0 40 12"
      className="mx-auto my-1 h-6 w-10 shrink-0 rotate-90 text-slate-400 sm:mx-1 sm:my-0 sm:h-auto sm:rotate-0"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
    >
      <path d="M2 6h34M31 1.5 36 6l-5 4.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
