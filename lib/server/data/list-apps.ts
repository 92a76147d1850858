import "server-only";
import { db } from "@/lib/server/db";
import { buildJson, buildSummarySelect } from "@/lib/server/data/build-json";
import type { TAppListItem, TBuildJson } from "@/lib/core/contracts";

/** The apps (all, or those in `appIds`) with their stages in pipeline order and each stage's latest build. */
export async function listApps(appIds: number[] | null = null): Promise<{ apps: TAppListItem[] }> {
  const apps = await db.app.findMany({
    where: appIds ? { id: { in: appIds } } : undefined,
    orderBy: { name: "asc" },
    select: {
      name: true,
      createdAt: true,
      _count: { select: { services: true } },
      stages: { where: { archived: false }, select: { id: true, name: true }, orderBy: [{ position: "asc" }, { id: "asc" }] },
    },
  });
  const stageIds = apps.flatMap((a) => a.stages.map((s) => s.id));
  const latest = await latestBuilds(stageIds);
  return {
    apps: apps.map((a) => ({
      name: a.name,
      createdAt: a.createdAt.toISOString(),
      services: a._count.services,
      stages: a.stages.map((s) => ({ name: s.name, latestBuild: latest.get(s.id) ?? null })),
    })),
  };
}

/**
 * The newest build of each stage. One indexed lookup per stage on (stage_id, number desc): Prisma
 * would apply a nested `take: 1` in memory after reading every build of the stage.
 */
export async function latestBuilds(stageIds: number[]): Promise<Map<number, TBuildJson>> {
  const rows = await Promise.all(
    stageIds.map((stageId) =>
      db.build.findFirst({ where: { stageId }, orderBy: { number: "desc" }, select: { ...buildSummarySelect, stageId: true } }),
    ),
  );
  const out = new Map<number, TBuildJson>();
  for (const row of rows) if (row) out.set(row.stageId, buildJson(row));
  return out;
}
