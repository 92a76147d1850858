import "server-only";
import { db } from "@/lib/server/db";
import type { TBuildStatus, TRelease } from "@/lib/core/domain";
import { rollbackEligibility, type TEligibility } from "@/lib/core/rollback";
import { liveRelease } from "@/lib/server/data/service-states";
import type { TRollbackState } from "@/lib/core/contracts";

// The one adapter between the stored builds and the pure eligibility rules: the stage's live
// release and which artifacts are still stored, read once for any number of builds.

type TCandidateRow = { number: number; stageId: number; status: TBuildStatus; release: unknown };

export async function eligibilities(stageId: number, rows: TCandidateRow[]): Promise<Map<number, TEligibility>> {
  const live = await liveRelease(db, stageId);
  const digests = [...new Set(rows.flatMap((r) => (r.status === "success" && r.release ? Object.values(r.release as TRelease) : [])))];
  const stored = new Set(
    (await db.artifact.findMany({ where: { digest: { in: digests } }, select: { digest: true } })).map((a) => a.digest),
  );
  return new Map(
    rows.map((r) => [
      r.number,
      rollbackEligibility(
        { number: r.number, stageId: r.stageId, status: r.status, release: r.release as TRelease | null },
        { id: stageId, live },
        stored,
      ),
    ]),
  );
}

/** Eligibility of a page of builds, as the history shows it: three queries whatever the page's size. */
export async function rollbackStates(stageId: number, numbers: number[]): Promise<Map<number, TRollbackState>> {
  if (!numbers.length) return new Map();
  const rows = await db.build.findMany({
    where: { stageId, number: { in: numbers } },
    select: { number: true, status: true, release: true, stageId: true },
  });
  const verdicts = await eligibilities(stageId, rows);
  return new Map([...verdicts].map(([n, v]) => [n, v.eligible ? { eligible: true, reason: null } : { eligible: false, reason: v.reason }]));
}
