import "server-only";
import { db, type Stage } from "@/lib/server/db";
import type { TBuildKind, TRelease } from "@/lib/core/domain";
import { AppError } from "@/lib/core/errors";
import { droppedExports } from "@/lib/core/preflight";
import { liveRelease, serviceStates, type TArtifactRow } from "@/lib/server/data/service-states";
import { stackNamesOf } from "@/lib/server/data/stacks";
import { driverFor, driverStage } from "@/lib/server/drivers";
import { DriverError } from "@/lib/server/drivers/types";
import type { TBlocking } from "@/lib/core/contracts";

// The planner orders the app's own services; a stack OUTSIDE the app that imports an export the
// build drops would make AWS refuse it half-way. Before a build is queued, the stage's driver is
// asked which of those exports such stacks import (the sandbox knows every stack: it has no preflight).

/** `pending`: the build's artifacts not stored yet (a deploy's new ones). */
export async function preflightBuild(stage: Stage, kind: TBuildKind, target: TRelease, pending: TArtifactRow[] = []): Promise<TBlocking[]> {
  const driver = await driverFor(stage.driver);
  if (!driver.preflight) return [];
  const live = await serviceStates(db, stage, await liveRelease(db, stage.id));
  const after = await serviceStates(db, stage, target, pending);
  const dropped = droppedExports(kind, live, after);
  if (!dropped.length) return [];
  const knownStacks = Object.values(await stackNamesOf(db, stage, [...Object.keys(live), ...Object.keys(after)]));
  try {
    const found = await driver.preflight({
      stage: driverStage(stage),
      knownStacks,
      droppedExports: dropped,
    });
    return found.map((f) => ({ ...f, service: dropped.find((d) => d.exportName === f.exportName)?.service ?? "" }));
  } catch (e) {
    // unverifiable is refused: running could stop half-way on the very refusal this check exists for
    if (e instanceof DriverError)
      throw new AppError(
        "conflict",
        `Could not check the ${stage.name} account for stacks outside this app that import its exports: ${e.message}`,
      );
    throw e;
  }
}

export function blockingError(blocking: TBlocking[]): AppError {
  const each = blocking.map((b) => `export ${b.exportName} of ${b.service} is imported by ${b.importers.join(", ")}`);
  return new AppError(
    "conflict",
    `Stacks outside this app import exports this build would remove (${each.join("; ")}). AWS would refuse the change; remove those imports first.`,
    { blocking },
  );
}
