"use client";
import { useQuery } from "@tanstack/react-query";
import { apiGet, apiPaths } from "@/lib/client/api-client";
import type { TAppDetail } from "@/lib/core/contracts";
import { TERMINAL_BUILD_STATUSES } from "@/lib/core/domain";
import { queryKeys } from "@/lib/client/query-keys";
import type { TAccess } from "@/lib/core/roles";
import { AppLinks } from "@/components/app-links";
import { Pipeline } from "@/components/app/pipeline";
import { Services } from "@/components/app/services";
import { ArchivedStages, PrStages } from "@/components/app/pr-stages";
import { EmptyApp } from "@/components/app/empty-app";
import { PageHeader } from "@/components/page-header";

type TData = { app: TAppDetail };

export function AppPageClient({ name, access }: { name: string; access: TAccess }) {
  const { data } = useQuery({
    queryKey: queryKeys.app(name),
    queryFn: ({ signal }) => apiGet<TData>(apiPaths.app(name), signal),
    // the pipeline shows each stage's latest build: keep it current while one is queued or running
    refetchInterval: (q) =>
      q.state.data?.app.stages.some((s) => s.latestBuild && !TERMINAL_BUILD_STATUSES.includes(s.latestBuild.status)) ? 3000 : false,
  });
  if (!data) return null;
  const { app } = data;
  return (
    <>
      <PageHeader
        eyebrow="App"
        title={app.name}
        subtitle={`${app.services.length} ${app.services.length === 1 ? "service" : "services"} · ${app.stages.length} ${app.stages.length === 1 ? "stage" : "stages"}`}
        actions={<AppLinks access={access} />}
      />
      {app.stages.every((s) => !s.latestBuild) && app.services.every((s) => !s.liveIn) && <EmptyApp app={app} />}
      <section aria-labelledby="pipeline-title" className="mb-10">
        <h2 id="pipeline-title" className="mb-3 text-sm font-semibold text-slate-800">
          Pipeline
        </h2>
        <Pipeline app={app.name} stages={app.stages} />
      </section>
      <PrStages app={app.name} stages={app.stages} />
      <section aria-labelledby="services-title">
        <h2 id="services-title" className="mb-3 text-sm font-semibold text-slate-800">
          Services
        </h2>
        <Services services={app.services} edges={app.edges} warnings={app.graphWarnings} />
      </section>
      <ArchivedStages app={app.name} stages={app.archivedStages} />
    </>
  );
}
