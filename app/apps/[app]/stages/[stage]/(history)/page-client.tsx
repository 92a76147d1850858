"use client";
import Link from "next/link";
import { useInfiniteQuery } from "@tanstack/react-query";
import { apiGet, apiPaths } from "@/lib/client/api-client";
import type { TBuildPage, TStageInfo } from "@/lib/core/contracts";
import { TERMINAL_BUILD_STATUSES } from "@/lib/core/domain";
import { shortSha } from "@/lib/client/format";
import { useStageEvents } from "@/lib/client/hooks/use-stage-events";
import { queryKeys } from "@/lib/client/query-keys";
import { actorLabel, type TAccess } from "@/lib/core/roles";
import { BuildKind } from "@/components/build-kind";
import { BuildRowActions } from "@/components/build-row-actions";
import { Duration } from "@/components/duration";
import { PageHeader } from "@/components/page-header";
import { StageActions } from "@/components/stage-actions";
import { StatusBadge, statusLabel } from "@/components/status-badge";
import { TimeAgo } from "@/components/time-ago";

// One grid for the header and every row (rows are subgrids), so that columns line up whatever
// each row's actions slot holds.
const GRID = "md:grid md:grid-cols-[7.5rem_10.5rem_minmax(0,1fr)_7.5rem_5.5rem_auto] md:gap-x-4";
const ROW = "md:col-span-full md:grid md:grid-cols-subgrid md:items-center";

export function StagePageClient({ stage, initialPage, access }: { stage: TStageInfo; initialPage: TBuildPage; access: TAccess }) {
  const { app, name } = stage;
  const { streaming } = useStageEvents(app, name);
  const query = useInfiniteQuery({
    queryKey: queryKeys.builds(app, name),
    queryFn: ({ pageParam, signal }) => apiGet<TBuildPage>(apiPaths.builds(app, name, { before: pageParam }), signal),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
    initialData: { pages: [initialPage], pageParams: [null] },
    // without the live stream, poll only while a build on screen is queued or running
    refetchInterval: (q) =>
      !streaming && q.state.data?.pages.some((p) => p.builds.some((b) => !TERMINAL_BUILD_STATUSES.includes(b.status))) ? 3000 : false,
  });
  const builds = query.data.pages.flatMap((p) => p.builds);

  return (
    <>
      <PageHeader
        eyebrow="Stage"
        title={name}
        subtitle={
          <>
            <Link href={`/apps/${app}`} className="hover:text-slate-700 hover:underline">
              {app}
            </Link>
            {" · "}
            <span className="font-mono text-xs">{stage.driver}</span>
            {stage.region ? ` · ${stage.region}` : ""}
          </>
        }
        actions={<StageActions app={app} stage={name} access={access} />}
      />
      <section aria-labelledby="history-title" className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-xs">
        <div className="flex items-center justify-between border-b border-slate-200 px-5 py-3">
          <h2 id="history-title" className="text-sm font-semibold text-slate-800">
            Builds
          </h2>
          {query.isRefetching && !query.isFetchingNextPage && <span className="text-xs text-slate-400">Updating…</span>}
        </div>
        {builds.length === 0 ? (
          <p className="px-5 py-12 text-center text-sm text-slate-500">No builds in this stage yet.</p>
        ) : (
          <div className={GRID}>
            <div className={`hidden border-b border-slate-100 bg-slate-50 px-5 py-2 text-xs font-medium text-slate-500 ${ROW}`} aria-hidden>
              <span>Status</span>
              <span>Build</span>
              <span>Commit</span>
              <span>Started</span>
              <span>Duration</span>
              <span className="sr-only">Actions</span>
            </div>
            <ol className={`divide-y divide-slate-100 ${ROW}`} aria-label="Build history" data-testid="build-history">
              {builds.map((b) => (
                <BuildRow key={b.number} app={app} stage={name} build={b} access={access} />
              ))}
            </ol>
          </div>
        )}
        {query.hasNextPage && (
          <div className="border-t border-slate-100 px-5 py-3 text-center">
            <button
              type="button"
              onClick={() => void query.fetchNextPage()}
              disabled={query.isFetchingNextPage}
              className="rounded-lg border border-slate-200 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-xs hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-blue-500 disabled:opacity-60"
            >
              {query.isFetchingNextPage ? "Loading…" : "Load older builds"}
            </button>
          </div>
        )}
        {query.isFetchNextPageError && <p className="px-5 pb-3 text-center text-sm text-red-600">{query.error?.message}</p>}
      </section>
    </>
  );
}

function BuildRow({ app, stage, build: b, access }: { app: string; stage: string; build: TBuildPage["builds"][number]; access: TAccess }) {
  return (
    <li
      data-build={b.number}
      className={`group relative px-5 py-3 text-sm transition-colors hover:bg-slate-50 has-[a[data-row-link]:focus-visible]:bg-blue-50/60 has-[a[data-row-link]:focus-visible]:ring-2 has-[a[data-row-link]:focus-visible]:ring-blue-500 has-[a[data-row-link]:focus-visible]:ring-inset ${ROW} flex flex-col gap-1.5`}
    >
      <div>
        <StatusBadge status={b.status} />
      </div>
      <div className="flex items-baseline gap-2">
        {/* the row's link: its ::after covers the whole row, so a click anywhere opens the build */}
        <Link
          data-row-link
          href={`/apps/${app}/stages/${stage}/builds/${b.number}`}
          aria-label={`Build #${b.number}: ${statusLabel(b.status)}`}
          className="font-semibold text-slate-900 outline-none after:absolute after:inset-0 after:content-['']"
        >
          #{b.number}
        </Link>
        <BuildKind app={app} stage={stage} build={b} className="truncate text-slate-600" />
      </div>
      <div className="min-w-0">
        <p className="truncate text-slate-800" title={b.commit.message}>
          <span className="mr-2 font-mono text-xs text-slate-500">{shortSha(b.commit.sha)}</span>
          <span data-testid="commit-message">{b.commit.message}</span>
        </p>
        <p className="truncate text-xs text-slate-500">
          {b.commit.author ?? actorLabel(b.triggeredBy)}
          {b.commit.branch ? <span className="text-slate-400"> on {b.commit.branch}</span> : null}
          {/* who pressed the button (or which token), when it was a person or a script of this Sprout */}
          {b.commit.author && /^(user|token):/.test(b.triggeredBy) ? (
            <span data-testid="triggered-by"> · by {actorLabel(b.triggeredBy)}</span>
          ) : null}
        </p>
      </div>
      <div className="text-slate-600">
        {b.startedAt ? (
          <TimeAgo iso={b.startedAt} />
        ) : (
          <span className="text-slate-400">
            queued <TimeAgo iso={b.createdAt} />
          </span>
        )}
      </div>
      <div className="text-slate-600 tabular-nums">
        <Duration startedAt={b.startedAt} finishedAt={b.finishedAt} />
      </div>
      <div className="relative z-10 flex justify-end">
        <BuildRowActions app={app} stage={stage} build={b} access={access} />
      </div>
    </li>
  );
}
