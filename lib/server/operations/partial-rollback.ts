import "server-only";
import { db, type Stage } from "@/lib/server/db";
import type { TRelease } from "@/lib/core/domain";
import { AppError } from "@/lib/core/errors";
import { partialRollback, type TMovedService } from "@/lib/core/partial-rollback";
import { liveRelease, serviceStates } from "@/lib/server/data/service-states";

// The stage side of a partial rollback: the live state and #N's release read as the stage reads
// them, handed to the pure closure (lib/core/partial-rollback.ts). Its refusals are the user's:
// an unknown service is a bad request, a pick that changes nothing or has no single pass a conflict.

export interface TPartial {
  /** restored: picked and moved, sorted */
  services: string[];
  moved: TMovedService[];
  /** the new release: the live state with those services as #N had them */
  target: TRelease;
}

export async function partialTarget(stage: Stage, number: number, release: TRelease, services: string[]): Promise<TPartial> {
  const [live, restored] = await Promise.all([
    liveRelease(db, stage.id).then((r) => serviceStates(db, stage, r)),
    serviceStates(db, stage, release),
  ]);
  const result = partialRollback({ live, release: restored, services, label: `#${number}` });
  if (!result.ok)
    throw new AppError(result.code === "unknown-service" ? "bad_request" : "conflict", `services: ${result.message}`, {
      reason: result.code,
    });
  return { services: result.services, moved: result.moved, target: result.target };
}

/** A rollback build's services against a request's: both whole, or the same restored set. */
export function samePartial(rollbackServices: string[], partial: TPartial | null): boolean {
  const mine = partial?.services ?? [];
  return rollbackServices.length === mine.length && rollbackServices.every((s, i) => s === mine[i]);
}
