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
  limit: ZIntParam(1, 5000).default(1000),
});
export type TLogQuery = z.output<typeof ZLogQuery>;

/** A build's log lines in seq order, read by keyset on the (build_id, seq) primary key. */
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
  const { step, after, limit } = query;
  const buildId = (await getBuildRow(app, stage, number)).build.id;
  if (step && !(await db.step.findUnique({ where: { buildId_key: { buildId, key: step } }, select: { id: true } }))) {
    throw new AppError("not_found", `Build #${number} in ${app.name}/${stage} has no step "${step}".`);
  }
  const rows = await db.logLine.findMany({
    where: { buildId, seq: { gt: after }, ...(step ? { service: step } : {}) },
    orderBy: { seq: "asc" },
    take: limit + 1,
    select: { seq: true, service: true, time: true, text: true },
  });
  const page = rows.slice(0, limit);
  return {
    lines: page.map((l) => ({ seq: l.seq, service: l.service, time: l.time.toISOString(), text: l.text })),
    nextAfter: rows.length > limit ? page.at(-1)!.seq : null,
  };
}
