import "server-only";
import { z } from "zod";
import { db } from "@/lib/server/db";
import { buildJson, buildSummarySelect } from "@/lib/server/data/build-json";
import { getStageOf } from "@/lib/server/data/lookup";
import { rollbackStates } from "@/lib/server/data/rollback-eligibility";
import { PG_INT_MAX, ZIntParam } from "@/lib/core/query-params";
import type { TAppRef } from "@/lib/server/context";
import type { TBuildPage } from "@/lib/core/contracts";

export const ZListBuildsQuery = z.object({
  limit: ZIntParam(1, 100).default(25),
  /** a build number: the page holds the builds numbered below it */
  before: ZIntParam(1, PG_INT_MAX).optional(),
});
export type TListBuildsQuery = z.output<typeof ZListBuildsQuery>;

/**
 * A stage's history, newest first, by keyset on (stage_id, number desc): one index range scan of
 * `limit + 1` rows whatever the history's length (no OFFSET, no count of the whole history).
 */
export async function listBuilds({
  app,
  stage,
  query = ZListBuildsQuery.parse({}),
}: {
  app: TAppRef;
  stage: string;
  query?: TListBuildsQuery;
}): Promise<TBuildPage> {
  const { limit, before } = query;
  const st = await getStageOf(app, stage);
  const rows = await db.build.findMany({
    where: { stageId: st.id, ...(before !== undefined ? { number: { lt: before } } : {}) },
    orderBy: { number: "desc" },
    take: limit + 1,
    select: buildSummarySelect,
  });
  const page = rows.slice(0, limit);
  const rollback = await rollbackStates(
    st.id,
    page.map((b) => b.number),
  );
  return {
    builds: page.map((b) => ({ ...buildJson(b), rollback: rollback.get(b.number)! })),
    nextBefore: rows.length > limit ? page.at(-1)!.number : null,
  };
}
