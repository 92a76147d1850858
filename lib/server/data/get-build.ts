import "server-only";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { buildDetailJson, buildDetailSelect } from "@/lib/server/data/build-json";
import { getStageOf } from "@/lib/server/data/lookup";
import { rollbackStates } from "@/lib/server/data/rollback-eligibility";
import type { TBuildView } from "@/lib/core/contracts";
import type { TAppRef } from "@/lib/server/context";
import { awaitingBefore } from "@/lib/server/data/stage-queue";

const viewSelect = { ...buildDetailSelect, stageId: true } as const;

async function toView(row: NonNullable<Awaited<ReturnType<typeof findView>>>): Promise<TBuildView> {
  // A rollback is queued after its target exists, so its number is higher: the range keeps the
  // scan on the (stage_id, number) index to the builds after this one.
  const [rollbacks, states, heldBehind] = await Promise.all([
    db.build.findMany({
      where: { stageId: row.stageId, number: { gt: row.number }, kind: "rollback", rollbackOf: row.number },
      orderBy: { number: "asc" },
      select: { number: true },
    }),
    rollbackStates(row.stageId, [row.number]),
    // a queued deploy with no job yet waits behind a build awaiting approval (lib/server/data/stage-queue.ts)
    row.status === "queued" && row.kind !== "rollback" ? awaitingBefore(db, row.stageId, row.number) : null,
  ]);
  return { ...buildDetailJson(row), rolledBackBy: rollbacks.map((r) => r.number), rollback: states.get(row.number)!, heldBehind };
}

const findView = (stageId: number, number: number) =>
  db.build.findUnique({ where: { stageId_number: { stageId, number } }, select: viewSelect });

/** GET /api/apps/{app}/stages/{stage}/builds/{number}: `{ build }`, or a 404 naming what is unknown. */
export async function getBuild({ app, stage, number }: { app: TAppRef; stage: string; number: number }): Promise<{ build: TBuildView }> {
  const st = await getStageOf(app, stage);
  const row = await findView(st.id, number);
  if (!row) throw new AppError("not_found", `Build #${number} not found in ${app.name}/${stage}.`);
  return { build: await toView(row) };
}

/** The same view by row id, for the live stream's snapshots. */
export async function getBuildById(buildId: number): Promise<TBuildView> {
  const row = await db.build.findUnique({ where: { id: buildId }, select: viewSelect });
  if (!row) throw new AppError("not_found", `Build ${buildId} not found.`);
  return toView(row);
}
