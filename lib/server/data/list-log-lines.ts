import "server-only";
import { z } from "zod";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { getBuildRow } from "@/lib/server/data/lookup";
import { PG_INT_MAX, ZIntParam } from "@/lib/core/query-params";
import { STEP_KEY_RE } from "@/lib/core/domain";
import type { TLogPage } from "@/lib/core/contracts";
import type { TAppRef } from "@/lib/server/context";

export const ZLogQuery = z.object({
  /** a service name: only that step's lines */
  step: z.string().regex(STEP_KEY_RE, { error: 'must be a step: a service name, "package:<service>" or "checkout"' }).optional(),
  /** a seq: the lines after it */
  after: ZIntParam(0, PG_INT_MAX).default(0),
  /** a seq: the `limit` lines just before it (reading a long log backwards from its tail) */
  before: ZIntParam(1, PG_INT_MAX).optional(),
  /** the last `tail` lines (a long log opens on its end), with how many come before them */
  tail: ZIntParam(1, 5000).optional(),
  limit: ZIntParam(1, 5000).default(1000),
});
export type TLogQuery = z.output<typeof ZLogQuery>;

/**
 * A build's log lines in seq order, read by keyset on the (build_id, seq) primary key, or for one
 * step on (build_id, service, seq). Forwards from `after`; or backwards, the `tail` or the lines
 * `before` a seq, with `earlier`: how many lines come before the first one returned.
 */
export async function listLogLines({
  app,
  stage,
  number,
  query = ZLogQuery.parse({}),
}: {
  app: TAppRef;
  stage: string;
  number: number;
  query?: TLogQuery;
}): Promise<TLogPage> {
  const { step, after, before, tail, limit } = query;
  const buildId = (await getBuildRow(app, stage, number)).build.id;
  if (step && !(await db.step.findUnique({ where: { buildId_key: { buildId, key: step } }, select: { id: true } }))) {
    throw new AppError("not_found", `Build #${number} in ${app.name}/${stage} has no step "${step}".`);
  }
  const select = { seq: true, service: true, time: true, text: true } as const;
  const json = (l: { seq: number; service: string | null; time: Date; text: string }) => ({
    seq: l.seq,
    service: l.service,
    time: l.time.toISOString(),
    text: l.text,
  });
  const ofStep = step ? { service: step } : {};
  if (tail !== undefined || before !== undefined) {
    const take = tail ?? limit;
    const rows = await db.logLine.findMany({
      where: { buildId, ...ofStep, ...(before !== undefined ? { seq: { lt: before } } : {}) },
      orderBy: { seq: "desc" },
      take: take + 1,
      select,
    });
    const page = rows.slice(0, take).reverse();
    const first = page[0]?.seq;
    const earlier =
      rows.length > take && first !== undefined ? await db.logLine.count({ where: { buildId, ...ofStep, seq: { lt: first } } }) : 0;
    return { lines: page.map(json), nextAfter: null, prevBefore: earlier ? first! : null, earlier };
  }
  const rows = await db.logLine.findMany({
    where: { buildId, seq: { gt: after }, ...ofStep },
    orderBy: { seq: "asc" },
    take: limit + 1,
    select,
  });
  const page = rows.slice(0, limit);
  return { lines: page.map(json), nextAfter: rows.length > limit ? page.at(-1)!.seq : null };
}
