"use client";
import Link from "next/link";
import type { TBuildPage, TLiveJson } from "@/lib/core/contracts";
import { shortSha } from "@/lib/client/format";
import { actorLabel, type TAccess } from "@/lib/core/roles";
import { BuildKind } from "@/components/build-kind";
import { authorName, BuildTrigger } from "@/components/build-trigger";
import { BuildRowActions } from "@/components/build-row-actions";
import { Duration } from "@/components/duration";
import { LiveBadge } from "@/components/live-summary";
import { StatusBadge, statusLabel } from "@/components/status-badge";
import { TimeAgo } from "@/components/time-ago";

type TRow = TBuildPage["builds"][number];

// A table by its roles (table, row, columnheader, cell), laid out with CSS grid: one grid for the
// header and every row (rows are subgrids) so that columns line up on a wide screen; on a phone
// each row is two lines (status, build and action; then the commit) and the header is for screen
// readers only. Roles rather than <table> so that the phone layout keeps the semantics.
const GRID = "md:grid md:grid-cols-[9.5rem_10rem_minmax(0,1fr)_7.5rem_5.5rem_auto] md:gap-x-4";
const ROW = "grid grid-cols-[auto_minmax(0,1fr)_auto] items-center gap-x-3 gap-y-1 md:col-span-full md:grid-cols-subgrid md:gap-y-0";
const CELL_ONLY_WIDE = "sr-only md:not-sr-only";

export interface THistoryTableProps {
  app: string;
  stage: string;
  builds: TRow[];
  live: TLiveJson | null;
  guarded: boolean;
  access: TAccess;
  /** the row's link prefetches the build page on hover */
  onHover?: (number: number) => void;
  /** the next stage of the pipeline: successful rows offer to promote there */
  nextStage?: string | null;
}

export function HistoryTable({ app, stage, builds, live, guarded, access, onHover, nextStage = null }: THistoryTableProps) {
  return (
    <div role="table" aria-label={`Builds of ${stage}`} aria-rowcount={-1} className={GRID}>
      <div role="rowgroup" className="sr-only md:not-sr-only md:col-span-full md:grid md:grid-cols-subgrid">
        <div role="row" className={`border-b border-slate-200 bg-slate-50 px-5 py-2 text-xs font-medium text-slate-600 ${ROW}`}>
          <span role="columnheader">Status</span>
          <span role="columnheader">Build</span>
          <span role="columnheader">Commit</span>
          <span role="columnheader">Started</span>
          <span role="columnheader">Duration</span>
          <span role="columnheader">
            <span className="sr-only">Actions</span>
          </span>
        </div>
      </div>
      <div role="rowgroup" data-testid="build-history" className="divide-y divide-slate-100 md:col-span-full md:grid md:grid-cols-subgrid">
        {builds.map((b) => (
          <HistoryRow
            key={b.number}
            app={app}
            stage={stage}
            build={b}
            isLive={live?.build === b.number}
            live={live}
            guarded={guarded}
            access={access}
            onHover={onHover}
            nextStage={nextStage}
          />
        ))}
      </div>
    </div>
  );
}

function HistoryRow({
  app,
  stage,
  build: b,
  isLive,
  live,
  guarded,
  access,
  onHover,
  nextStage,
}: Omit<THistoryTableProps, "builds"> & { build: TRow; isLive: boolean }) {
  const href = `/apps/${app}/stages/${stage}/builds/${b.number}`;
  // a build that ended without running (superseded by a newer push, its stage pinned): greyed, with why
  const skipped = b.status === "skipped";
  return (
    <div
      role="row"
      data-build={b.number}
      data-live={isLive || undefined}
      data-skipped={skipped || undefined}
      className={`group relative px-4 py-2.5 text-sm transition-colors hover:bg-slate-50 has-[a[data-row-link]:focus-visible]:bg-blue-50 has-[a[data-row-link]:focus-visible]:ring-2 has-[a[data-row-link]:focus-visible]:ring-blue-500 has-[a[data-row-link]:focus-visible]:ring-inset md:px-5 md:py-3 ${ROW} ${isLive ? "bg-emerald-50/60" : ""} ${skipped ? "bg-slate-50" : ""}`}
    >
      <div role="cell" className="flex items-center gap-1.5">
        <StatusBadge status={b.status} />
        {isLive && <LiveBadge />}
      </div>
      <div role="cell" className="flex min-w-0 items-baseline gap-2">
        {/* the row's link: its ::after covers the whole row, so a click anywhere opens the build */}
        <Link
          data-row-link
          href={href}
          prefetch={false}
          onMouseEnter={() => onHover?.(b.number)}
          onFocus={() => onHover?.(b.number)}
          aria-label={`Build #${b.number}: ${statusLabel(b.status)}${isLive ? ", live" : ""}`}
          className="font-semibold text-slate-900 outline-none after:absolute after:inset-0 after:content-['']"
        >
          #{b.number}
        </Link>
        <BuildKind app={app} stage={stage} build={b} links={false} className="truncate text-slate-700" />
      </div>
      <div role="cell" className="col-span-3 min-w-0 md:col-span-1">
        <p className="truncate text-slate-800" title={b.reason ? `${b.commit.message}\nReason: ${b.reason}` : b.commit.message}>
          <span className="mr-2 font-mono text-xs text-slate-600">{shortSha(b.commit.sha)}</span>
          <span data-testid="commit-message" className={skipped ? "text-slate-600" : undefined}>
            {b.commit.message}
          </span>
        </p>
        <p className="hidden truncate text-xs text-slate-600 md:block" title={b.commit.author ?? undefined}>
          {b.commit.author ? authorName(b.commit.author) : actorLabel(b.triggeredBy)}
          {b.commit.branch ? <span> on {b.commit.branch}</span> : null} <BuildTrigger trigger={b.trigger} />
          {/* who pressed the button (or which token), when it was a person or a script of this Sprout */}
          {b.commit.author && /^(user|token):/.test(b.triggeredBy) ? (
            <span data-testid="triggered-by"> by {actorLabel(b.triggeredBy)}</span>
          ) : null}
        </p>
        {b.status === "skipped" && b.skippedReason && (
          <p className="truncate text-xs text-slate-700" data-testid="skipped-reason">
            <span className="font-medium">Skipped:</span>{" "}
            {b.supersededBy !== null && b.skippedReason === `superseded by #${b.supersededBy}` ? (
              <>
                superseded by{" "}
                <Link
                  href={`/apps/${app}/stages/${stage}/builds/${b.supersededBy}`}
                  className="relative z-10 font-medium text-blue-700 hover:underline focus-visible:rounded focus-visible:outline-2 focus-visible:outline-blue-500"
                >
                  #{b.supersededBy}
                </Link>
              </>
            ) : (
              b.skippedReason
            )}
          </p>
        )}
        {b.reason && (
          <p className="hidden truncate text-xs text-slate-700 md:block" data-testid="build-reason">
            <span className="font-medium">Reason:</span> {b.reason}
          </p>
        )}
      </div>
      <div role="cell" className={`text-slate-700 ${CELL_ONLY_WIDE}`}>
        {b.startedAt ? (
          <TimeAgo iso={b.startedAt} />
        ) : (
          <span className="text-slate-600">
            queued <TimeAgo iso={b.createdAt} />
          </span>
        )}
      </div>
      <div role="cell" className={`text-slate-700 tabular-nums ${CELL_ONLY_WIDE}`}>
        <Duration startedAt={b.startedAt} finishedAt={b.finishedAt} />
      </div>
      <div role="cell" className="relative z-10 col-start-3 row-start-1 flex justify-end md:col-auto md:row-auto">
        <BuildRowActions app={app} stage={stage} build={b} access={access} guarded={guarded} live={live} nextStage={nextStage} />
      </div>
    </div>
  );
}
