"use client";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef } from "react";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { apiGet, apiPaths } from "@/lib/client/api-client";
import type { TBuildPage, TDeployOptions } from "@/lib/core/contracts";
import { TERMINAL_BUILD_STATUSES } from "@/lib/core/domain";
import { isGuardedStage } from "@/lib/core/stages";
import { useStageEvents } from "@/lib/client/hooks/use-stage-events";
import { useStageInfo } from "@/lib/client/hooks/use-stage-info";
import { queryKeys } from "@/lib/client/query-keys";
import { prefetchPage } from "@/lib/client/prefetch";
import type { TAccess } from "@/lib/core/roles";
import { filterParams, filtersFromParams, hasFilters, type THistoryFilters } from "@/lib/core/history-filters";
import { HistoryFilters } from "@/components/history/history-filters";
import { HistoryTable } from "@/components/history/history-table";
import { LiveSummary } from "@/components/live-summary";
import { PageHeader } from "@/components/page-header";
import { StageActions } from "@/components/stage-actions";
import { StageBranch } from "@/components/app/pipeline";
import { PinBanner } from "@/components/stage/pin-banner";

/** A stage's history, filtered as its URL says; the server's first page and stage JSON are hydrated into their queries. */
export function StagePageClient({ app, name, access, deploy }: { app: string; name: string; access: TAccess; deploy: TDeployOptions }) {
  const stage = useStageInfo(app, name);
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const filters = useMemo(() => filtersFromParams(Object.fromEntries(search)), [search]);
  const params = filterParams(filters);
  const setFilters = (f: THistoryFilters) => {
    const qs = new URLSearchParams(filterParams(f)).toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };
  const qc = useQueryClient();
  const { streaming } = useStageEvents(app, name);
  const query = useInfiniteQuery({
    queryKey: queryKeys.buildsFiltered(app, name, params),
    queryFn: ({ pageParam, signal }) => apiGet<TBuildPage>(apiPaths.builds(app, name, { ...params, before: pageParam }), signal),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
    // without the live stream, poll only while a build on screen is queued or running
    refetchInterval: (q) =>
      !streaming && q.state.data?.pages.some((p) => p.builds.some((b) => !TERMINAL_BUILD_STATUSES.includes(b.status))) ? 3000 : false,
  });
  // polled rather than streamed, the newest build's end is what may change what is live
  const newest = hasFilters(filters) ? undefined : query.data?.pages[0]?.builds[0];
  const newestState = newest ? `${newest.number}:${newest.status}` : "";
  const seen = useRef(newestState);
  useEffect(() => {
    if (seen.current === newestState) return;
    seen.current = newestState;
    void qc.invalidateQueries({ queryKey: queryKeys.stageInfo(app, name) });
  }, [newestState, qc, app, name]);

  // hovering a row fetches its page (server-rendered with its data), so the click shows it at once
  const prefetch = (number: number) => prefetchPage(router, `/apps/${app}/stages/${name}/builds/${number}`);
  if (!stage) return null;
  const builds = query.data?.pages.flatMap((p) => p.builds) ?? [];

  return (
    <>
      <PageHeader
        eyebrow="Stage"
        title={name}
        subtitle={
          <>
            <Link href={`/apps/${app}`} className="hover:text-slate-800 hover:underline">
              {app}
            </Link>
            {" · "}
            <span className="font-mono text-xs">{stage.driver}</span>
            {stage.region ? ` · ${stage.region}` : ""}
            {isGuardedStage(stage) ? " · protected" : ""}
            {stage.branch && " · "}
            <StageBranch stage={stage} className="inline-flex" />
            {stage.requireApproval ? " · requires approval" : ""}
          </>
        }
        actions={
          <StageActions app={app} stage={name} access={access} branch={stage.branch} guarded={isGuardedStage(stage)} deploy={deploy} />
        }
      />
      <p className="-mt-3 mb-5 text-sm text-slate-800">
        <LiveSummary app={app} stage={name} live={stage.live} latest={(hasFilters(filters) ? null : builds[0]) ?? stage.latestBuild} />
      </p>
      {stage.pullRequest && (
        <p className="-mt-3 mb-5 text-sm text-slate-700" data-testid="pull-request">
          Pull request #{stage.pullRequest.number}
          {stage.pullRequest.title ? `: ${stage.pullRequest.title}` : ""}
          {stage.archived ? " · archived: the pull request was closed and its stacks removed; the history stays here." : ""}
        </p>
      )}
      {stage.pinned && <PinBanner app={app} stage={name} pinned={stage.pinned} access={access} />}
      <section aria-labelledby="history-title" className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-xs">
        <div className="flex items-center justify-between border-b border-slate-200 px-5 py-3">
          <h2 id="history-title" className="text-sm font-semibold text-slate-800">
            Builds
          </h2>
          {(query.isRefetching || query.isPending) && !query.isFetchingNextPage && (
            <span className="text-xs text-slate-600">Updating…</span>
          )}
        </div>
        <HistoryFilters filters={filters} onChange={setFilters} />
        {query.isError && !query.data ? (
          <p className="px-5 py-12 text-center text-sm text-red-700">{query.error.message}</p>
        ) : !query.data ? null : builds.length === 0 ? (
          <p className="px-5 py-12 text-center text-sm text-slate-600">
            {hasFilters(filters) ? "No builds match these filters." : "No builds in this stage yet."}
          </p>
        ) : (
          <HistoryTable
            app={app}
            stage={name}
            builds={builds}
            live={stage.live}
            guarded={isGuardedStage(stage)}
            access={access}
            onHover={prefetch}
            nextStage={stage.nextStage}
          />
        )}
        {query.hasNextPage && (
          <div className="border-t border-slate-100 px-5 py-3 text-center">
            <button
              type="button"
              onClick={() => void query.fetchNextPage()}
              disabled={query.isFetchingNextPage}
              className="min-h-11 rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 shadow-xs hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-blue-500 disabled:opacity-60 sm:min-h-0"
            >
              {query.isFetchingNextPage ? "Loading…" : "Load older builds"}
            </button>
          </div>
        )}
        {query.isFetchNextPageError && <p className="px-5 pb-3 text-center text-sm text-red-700">{query.error?.message}</p>}
      </section>
    </>
  );
}
