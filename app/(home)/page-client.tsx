"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { apiGet, apiPaths } from "@/lib/client/api-client";
import type { TAppListItem } from "@/lib/core/contracts";
import { queryKeys } from "@/lib/client/query-keys";
import { StatusBadge } from "@/components/status-badge";
import { TimeAgo } from "@/components/time-ago";
import { PageHeader } from "@/components/page-header";
import { SMALL_BUTTON } from "@/components/ui/button";

type TData = { apps: TAppListItem[] };

/** The apps the viewer has a role on; the server's data is hydrated into the query (components/hydrate.tsx). */
export function AppsPageClient({ canCreate = false }: { canCreate?: boolean }) {
  const { data } = useQuery({
    queryKey: queryKeys.appList(),
    queryFn: ({ signal }) => apiGet<TData>(apiPaths.apps(), signal),
  });
  if (!data) return null;
  return (
    <>
      <PageHeader
        title="Apps"
        subtitle="Your serverless monorepos, their stages and latest builds."
        actions={
          canCreate ? (
            <Link href="/new-app" className={SMALL_BUTTON}>
              New app
            </Link>
          ) : undefined
        }
      />
      {data.apps.length === 0 ? (
        <div className="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center text-sm text-slate-600">
          No apps here yet.{" "}
          {canCreate ? (
            <>
              <Link href="/new-app" className="font-medium text-blue-700 hover:underline">
                Create one from its repository
              </Link>{" "}
              (or <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">POST /api/apps</code>).
            </>
          ) : (
            <>
              An instance admin creates one with{" "}
              <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">POST /api/apps</code>; an app&apos;s admins add its
              members.
            </>
          )}
        </div>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Apps">
          {data.apps.map((app) => (
            <li key={app.name}>
              <AppCard app={app} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function AppCard({ app }: { app: TAppListItem }) {
  const last = app.stages
    .map((s) => s.latestBuild)
    .filter((b) => b !== null)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  return (
    <Link
      href={`/apps/${app.name}`}
      prefetch
      className="group block h-full rounded-xl border border-slate-200 bg-white p-5 shadow-xs transition hover:border-slate-300 hover:shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-500"
    >
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="truncate text-base font-semibold text-slate-900 group-hover:text-blue-700">{app.name}</h2>
          <p className="mt-0.5 text-xs text-slate-600">
            {app.services} {app.services === 1 ? "service" : "services"} · {app.stages.length}{" "}
            {app.stages.length === 1 ? "stage" : "stages"}
          </p>
        </div>
        <AppInitial name={app.name} />
      </div>
      <ul className="mt-4 space-y-2">
        {app.stages.map((s) => (
          <li key={s.name} className="flex items-center justify-between gap-2 text-sm">
            <span className="truncate font-medium text-slate-700">{s.name}</span>
            {s.latestBuild ? (
              <span className="flex items-center gap-2">
                <span className="text-xs text-slate-600">#{s.latestBuild.number}</span>
                <StatusBadge status={s.latestBuild.status} />
              </span>
            ) : (
              <span className="text-xs text-slate-600">no builds</span>
            )}
          </li>
        ))}
      </ul>
      {last && (
        <p className="mt-4 border-t border-slate-100 pt-3 text-xs text-slate-600">
          Last build <TimeAgo iso={last.createdAt} />
        </p>
      )}
    </Link>
  );
}

function AppInitial({ name }: { name: string }) {
  return (
    <span
      aria-hidden
      className="flex size-9 shrink-0 items-center justify-center rounded-lg bg-emerald-50 text-sm font-semibold text-emerald-700 uppercase ring-1 ring-emerald-600/15"
    >
      {name.slice(0, 2)}
    </span>
  );
}
