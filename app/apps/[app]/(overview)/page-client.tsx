"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { apiGet, apiPaths } from "@/lib/client/api-client";
import type { TAppDetail, TServiceNode, TStageSummary } from "@/lib/core/contracts";
import { TERMINAL_BUILD_STATUSES } from "@/lib/core/domain";
import { shortSha } from "@/lib/client/format";
import { queryKeys } from "@/lib/client/query-keys";
import type { TAccess } from "@/lib/core/roles";
import { AppLinks } from "@/components/app-links";
import { DependencyGraph } from "@/components/dependency-graph";
import { PageHeader } from "@/components/page-header";
import { StatusBadge } from "@/components/status-badge";
import { TimeAgo } from "@/components/time-ago";

type TData = { app: TAppDetail };

export function AppPageClient({ name, access, initialData }: { name: string; access: TAccess; initialData: TData }) {
  const { data } = useQuery({
    queryKey: queryKeys.app(name),
    queryFn: ({ signal }) => apiGet<TData>(apiPaths.app(name), signal),
    initialData,
    // the pipeline shows each stage's latest build: keep it current while one is queued or running
    refetchInterval: (q) =>
      q.state.data?.app.stages.some((s) => s.latestBuild && !TERMINAL_BUILD_STATUSES.includes(s.latestBuild.status)) ? 3000 : false,
  });
  const { app } = data;
  return (
    <>
      <PageHeader
        eyebrow="App"
        title={app.name}
        subtitle={`${app.services.length} ${app.services.length === 1 ? "service" : "services"} · ${app.stages.length} ${app.stages.length === 1 ? "stage" : "stages"}`}
        actions={<AppLinks access={access} />}
      />
      <section aria-labelledby="pipeline-title" className="mb-10">
        <h2 id="pipeline-title" className="mb-3 text-sm font-semibold text-slate-700">
          Pipeline
        </h2>
        {app.stages.length === 0 ? (
          <p className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-500">No stages yet.</p>
        ) : (
          <ol className="flex items-stretch gap-0 overflow-x-auto pb-2" aria-label="Stages">
            {app.stages.map((s, i) => (
              <li key={s.name} className="flex shrink-0 items-center">
                {i > 0 && <PipelineArrow />}
                <StageCard app={app.name} stage={s} />
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="services-title">
        <h2 id="services-title" className="mb-3 text-sm font-semibold text-slate-700">
          Services
        </h2>
        <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-xs">
          <div className="flex items-center justify-between border-b border-slate-100 px-5 py-3">
            <p className="text-xs text-slate-500">
              Deployed left to right: an arrow runs from the service that exports a value to the one that imports it (hover it for the
              export); a dashed arrow is a declared dependsOn.
            </p>
          </div>
          <div className="overflow-x-auto px-5 py-6">
            <DependencyGraph services={app.services} edges={app.edges} />
          </div>
          {app.services.length > 0 && <ServiceTable services={app.services} />}
        </div>
      </section>
    </>
  );
}

function StageCard({ app, stage }: { app: string; stage: TStageSummary }) {
  const b = stage.latestBuild;
  return (
    <Link
      href={`/apps/${app}/stages/${stage.name}`}
      data-stage={stage.name}
      className="group flex h-full w-72 flex-col rounded-xl border border-slate-200 bg-white p-4 shadow-xs transition hover:border-slate-300 hover:shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-500"
    >
      <div className="flex items-center justify-between gap-2">
        <h3 className="truncate text-base font-semibold text-slate-900 group-hover:text-blue-700">{stage.name}</h3>
        <span className="rounded-md bg-slate-100 px-1.5 py-0.5 font-mono text-[11px] text-slate-500">{stage.driver}</span>
      </div>
      {b ? (
        <div className="mt-3 space-y-2">
          <div className="flex items-center gap-2">
            <StatusBadge status={b.status} />
            <span className="text-sm font-medium text-slate-700">#{b.number}</span>
            <span className="ml-auto text-xs text-slate-500">
              <TimeAgo iso={b.createdAt} />
            </span>
          </div>
          <p className="truncate text-sm text-slate-600" title={b.commit.message}>
            <span className="mr-1.5 font-mono text-xs text-slate-400">{shortSha(b.commit.sha)}</span>
            {b.commit.message}
          </p>
        </div>
      ) : (
        <p className="mt-3 text-sm text-slate-400">No builds yet</p>
      )}
    </Link>
  );
}

function PipelineArrow() {
  return (
    <svg aria-hidden viewBox="0 0 40 12" className="mx-1 w-10 shrink-0 text-slate-300" fill="none" stroke="currentColor" strokeWidth="1.5">
      <path d="M2 6h34M31 1.5 36 6l-5 4.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

function ServiceTable({ services }: { services: TServiceNode[] }) {
  return (
    <table className="w-full border-t border-slate-100 text-left text-sm">
      <thead className="bg-slate-50 text-xs text-slate-500">
        <tr>
          <th className="px-5 py-2 font-medium">Service</th>
          <th className="px-3 py-2 font-medium whitespace-nowrap">Live in</th>
          <th className="px-3 py-2 font-medium">Exports</th>
          <th className="px-3 py-2 font-medium">Imports</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {services.map((s) => (
          <tr key={s.name}>
            <td className="px-5 py-2.5 font-medium whitespace-nowrap text-slate-800">{s.name}</td>
            <td className="px-3 py-2.5 whitespace-nowrap text-slate-600">
              {s.liveIn ?? <span className="text-slate-400">not deployed</span>}
            </td>
            <td className="px-3 py-2.5">
              <Names names={s.exports} />
            </td>
            <td className="px-3 py-2.5">
              <Names names={s.imports} />
              {s.error && <p className="mt-1 text-xs text-red-600">{s.error}</p>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Names({ names }: { names: string[] }) {
  if (names.length === 0) return <span className="text-slate-300">—</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {names.map((n) => (
        <code key={n} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-[11px] text-slate-600">
          {n}
        </code>
      ))}
    </span>
  );
}
