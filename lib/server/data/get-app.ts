import "server-only";
import { db } from "@/lib/server/db";
import type { TAppRef } from "@/lib/server/context";
import { latestBuilds } from "@/lib/server/data/list-apps";
import { appGraph } from "@/lib/server/data/app-graph";
import { liveBuilds } from "@/lib/server/data/live-build";
import type { TAppDetail } from "@/lib/core/contracts";
import { prStagesJson } from "@/lib/core/stages";
import { pinJson } from "@/lib/server/data/stage-pin";

/** One app: its stages in pipeline order with their latest build, and its services' dependency graph. */
export async function getApp({ app }: { app: TAppRef }): Promise<{ app: TAppDetail }> {
  const row = await db.app.findUniqueOrThrow({
    where: { id: app.id },
    select: { createdAt: true, repositoryUrl: true, prStagesEnabled: true, prTemplateStage: true, prStageLimit: true },
  });
  const [allStages, serviceRows, liveRows] = await Promise.all([
    db.stage.findMany({ where: { appId: app.id }, orderBy: [{ position: "asc" }, { id: "asc" }] }),
    db.service.findMany({ where: { appId: app.id }, select: { name: true } }),
    db.liveState.findMany({ where: { stage: { appId: app.id } }, select: { stageId: true, service: true, artifactDigest: true } }),
  ]);
  const stages = allStages.filter((s) => !s.archived);
  const archived = allStages.filter((s) => s.archived).sort((a, b) => (b.archivedAt?.getTime() ?? 0) - (a.archivedAt?.getTime() ?? 0));
  const [latest, live] = await Promise.all([latestBuilds(allStages.map((s) => s.id)), liveBuilds(stages.map((s) => s.id))]);
  const pullRequest = (s: { prNumber: number | null; prTitle: string | null }) =>
    s.prNumber === null ? null : { number: s.prNumber, title: s.prTitle };

  const graph = await appGraph(
    stages,
    liveRows,
    serviceRows.map((s) => s.name),
  );

  return {
    app: {
      name: app.name,
      createdAt: row.createdAt.toISOString(),
      stages: stages.map((s) => ({
        name: s.name,
        driver: s.driver,
        position: s.position,
        region: s.region,
        branch: s.branch,
        autoDeploy: s.autoDeploy,
        latestBuild: latest.get(s.id) ?? null,
        live: live.get(s.id) ?? null,
        pullRequest: pullRequest(s),
        pinned: pinJson(s),
      })),
      archivedStages: archived.map((s) => ({
        name: s.name,
        pullRequest: pullRequest(s),
        archivedAt: s.archivedAt?.toISOString() ?? null,
        latestBuild: latest.get(s.id) ?? null,
      })),
      prStages: prStagesJson(row),
      repository: row.repositoryUrl ? { url: row.repositoryUrl } : null,
      services: graph.services,
      edges: graph.edges,
      graphWarnings: graph.warnings,
    },
  };
}
