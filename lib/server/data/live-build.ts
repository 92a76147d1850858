import "server-only";
import { db } from "@/lib/server/db";
import type { TBuildStatus, TRelease } from "@/lib/core/domain";
import { TERMINAL_BUILD_STATUSES } from "@/lib/core/domain";
import { liveFloor, pickLiveBuild, type TLiveBuild } from "@/lib/core/live";

// Which build's release a stage runs now (lib/core/live.ts has the rule). Per stage: its live-state
// rows (primary key), then the ended builds from the newest one that wrote them, on the
// (stage_id, number desc) index: a range that starts at the last build that changed anything,
// whatever the history's length.

// canceled builds that never started can pile up above the floor; past this many the answer is null
const MAX_CANDIDATES = 50;

export async function liveBuild(stageId: number): Promise<TLiveBuild | null> {
  const rows = await db.liveState.findMany({ where: { stageId }, select: { service: true, artifactDigest: true, buildNumber: true } });
  if (rows.length === 0) return null;
  const live: TRelease = Object.fromEntries(rows.map((r) => [r.service, r.artifactDigest]));
  const candidates = await db.build.findMany({
    where: { stageId, number: { gte: liveFloor(rows) }, status: { in: [...TERMINAL_BUILD_STATUSES] } },
    orderBy: { number: "desc" },
    take: MAX_CANDIDATES,
    select: { number: true, kind: true, status: true, rollbackOf: true, rollbackServices: true, release: true, startedAt: true },
  });
  return pickLiveBuild(
    live,
    candidates.map((c) => ({
      number: c.number,
      kind: c.kind,
      status: c.status as TBuildStatus,
      // a partial rollback restored only some services of #N: the release it left is its own
      rollbackOf: c.rollbackServices.length ? null : c.rollbackOf,
      release: c.release as TRelease | null,
      started: c.startedAt !== null,
    })),
  );
}

/** The live build of each stage, the stages read in parallel. */
export async function liveBuilds(stageIds: number[]): Promise<Map<number, TLiveBuild | null>> {
  const found = await Promise.all(stageIds.map(async (id) => [id, await liveBuild(id)] as const));
  return new Map(found);
}
