import "server-only";
import type { z } from "zod";
import { db } from "@/lib/server/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { buildJson, buildSummarySelect } from "@/lib/server/data/build-json";
import { getStageOf } from "@/lib/server/data/lookup";
import { rollbackStates } from "@/lib/server/data/rollback-eligibility";
import { PG_INT_MAX, ZIntParam } from "@/lib/core/query-params";
import { dateBounds, likePattern, ZHistoryFilters, type THistoryFilters } from "@/lib/core/history-filters";
import type { TAppRef } from "@/lib/server/context";
import type { TBuildPage } from "@/lib/core/contracts";

export const ZListBuildsQuery = ZHistoryFilters.extend({
  limit: ZIntParam(1, 100).default(25),
  /** a build number: the page holds the builds numbered below it */
  before: ZIntParam(1, PG_INT_MAX).optional(),
});
export type TListBuildsQuery = z.output<typeof ZListBuildsQuery>;

/**
 * The filters as SQL conditions, each backed by an index of the migrations: status and kind by
 * (stage_id, status|kind, number desc), the texts by trigram GIN indexes on the same expressions
 * (a sha by its start, on (stage_id, commit_sha text_pattern_ops)),
 * the service by steps (service, build_id), the dates by (stage_id, created_at).
 */
/**
 * Builds are numbered in the order they are queued, and created_at is the time they were queued:
 * apart from builds queued at the same moment, both orders agree. So a date range is also a range
 * of numbers, found with two single-row reads of (stage_id, created_at), which lets the page be read
 * on (stage_id, number desc) near its start whatever the range's age. DATE_SLACK widens it well
 * past any builds of one stage queued at the same moment; the dates themselves are checked exactly.
 */
const DATE_SLACK = 1_000;

async function numbersOfDates(stageId: number, from: Date | null, before: Date | null): Promise<Prisma.Sql[]> {
  const out: Prisma.Sql[] = [];
  if (before) {
    const [last] = await db.$queryRaw<{ number: number }[]>`
      SELECT number FROM builds WHERE stage_id = ${stageId} AND created_at < ${before} ORDER BY created_at DESC LIMIT 1`;
    out.push(Prisma.sql`b.number <= ${(last?.number ?? 0) + DATE_SLACK}`);
  }
  if (from) {
    const [first] = await db.$queryRaw<{ number: number }[]>`
      SELECT number FROM builds WHERE stage_id = ${stageId} AND created_at >= ${from} ORDER BY created_at ASC LIMIT 1`;
    out.push(first ? Prisma.sql`b.number >= ${first.number - DATE_SLACK}` : Prisma.sql`false`);
  }
  return out;
}

function conditions(f: THistoryFilters): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (f.status) where.push(Prisma.sql`b.status = ANY(${f.status}::"BuildStatus"[])`);
  if (f.kind) where.push(Prisma.sql`b.kind = ANY(${f.kind}::"BuildKind"[])`);
  if (f.q) {
    const message = Prisma.sql`b.commit_message ILIKE ${likePattern(f.q)}`;
    // a sha is searched by its start (shas are lowercase hex)
    const sha = /^[0-9a-f]{4,40}$/i.test(f.q) ? Prisma.sql` OR b.commit_sha LIKE ${`${f.q.toLowerCase()}%`}` : Prisma.empty;
    where.push(Prisma.sql`(${message}${sha})`);
  }
  if (f.author) where.push(Prisma.sql`(coalesce(b.commit_author, '') || ' ' || b.triggered_by) ILIKE ${likePattern(f.author)}`);
  if (f.service) where.push(Prisma.sql`EXISTS (SELECT 1 FROM steps s WHERE s.build_id = b.id AND s.service = ${f.service})`);
  const { from, before } = dateBounds(f);
  if (from) where.push(Prisma.sql`b.created_at >= ${from}`);
  if (before) where.push(Prisma.sql`b.created_at < ${before}`);
  return where;
}

/**
 * A stage's history, newest first, by keyset on (stage_id, number desc): one index range scan of
 * `limit + 1` rows whatever the history's length (no OFFSET, no count of the whole history). With
 * filters, the numbers of the page are found first (raw SQL: the text filters match the trigram
 * indexes' expressions), then their rows.
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
  const filters = conditions(query);
  const { from, before: until } = dateBounds(query);
  if (from || until) filters.push(...(await numbersOfDates(st.id, from, until)));
  let rows;
  if (!filters.length) {
    rows = await db.build.findMany({
      where: { stageId: st.id, ...(before !== undefined ? { number: { lt: before } } : {}) },
      orderBy: { number: "desc" },
      take: limit + 1,
      select: buildSummarySelect,
    });
  } else {
    const keyset = before !== undefined ? [Prisma.sql`b.number < ${before}`] : [];
    const found = await db.$queryRaw<{ number: number }[]>`
      SELECT b.number FROM builds b
      WHERE ${Prisma.join([Prisma.sql`b.stage_id = ${st.id}`, ...keyset, ...filters], " AND ")}
      ORDER BY b.number DESC LIMIT ${limit + 1}`;
    rows = await db.build.findMany({
      where: { stageId: st.id, number: { in: found.map((r) => r.number) } },
      orderBy: { number: "desc" },
      select: buildSummarySelect,
    });
  }
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
