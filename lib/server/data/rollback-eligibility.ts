import "server-only";
import { db } from "@/lib/server/db";
import type { TRelease } from "@/lib/core/domain";
import { rollbackEligibility } from "@/lib/core/rollback";
import { liveRelease } from "@/lib/server/data/service-states";
import type { TRollbackState } from "@/lib/core/contracts";

/** Eligibility of a page of builds: three queries whatever the page's size. */
export async function rollbackStates(stageId: number, numbers: number[]): Promise<Map<number, TRollbackState>> {
  if (!numbers.length) return new Map();
  const [live, rows] = await Promise.all([
    liveRelease(db, stageId),
    db.build.findMany({
      where: { stageId, number: { in: numbers } },
      select: { number: true, status: true, release: true, stageId: true },
    }),
  ]);
  const digests = [...new Set(rows.flatMap((r) => (r.status === "success" && r.release ? Object.values(r.release as TRelease) : [])))];
  const stored = new Set(
    (await db.artifact.findMany({ where: { digest: { in: digests } }, select: { digest: true } })).map((a) => a.digest),
  );
  return new Map(
    rows.map((r) => {
      const v = rollbackEligibility(
        { number: r.number, stageId: r.stageId, status: r.status, release: r.release as TRelease | null },
        { id: stageId, live },
        stored,
      );
      return [r.number, v.eligible ? { eligible: true, reason: null } : { eligible: false, reason: v.reason }];
    }),
  );
}
