import "server-only";
import { z } from "zod";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { STEP_KEY_RE } from "@/lib/core/domain";
import { stripAnsi } from "@/lib/core/log-lines";
import { getBuildRow } from "@/lib/server/data/lookup";
import type { TAppRef } from "@/lib/server/context";

// A build's whole log as a text file: read page by page on the (build_id, seq) key as the client
// reads the stream, so a 500,000-line log never sits in memory, and a closed download stops reading.

export const ZLogDownloadQuery = z.object({
  step: z.string().regex(STEP_KEY_RE, { error: 'must be a step: a service name, "package:<service>" or "checkout"' }).optional(),
});

const PAGE = 5000;

export async function logDownload({
  app,
  stage,
  number,
  query,
}: {
  app: TAppRef;
  stage: string;
  number: number;
  query: z.output<typeof ZLogDownloadQuery>;
}): Promise<{ stream: ReadableStream<Uint8Array>; filename: string }> {
  const buildId = (await getBuildRow(app, stage, number)).build.id;
  const { step } = query;
  if (step && !(await db.step.findUnique({ where: { buildId_key: { buildId, key: step } }, select: { id: true } }))) {
    throw new AppError("not_found", `Build #${number} in ${app.name}/${stage} has no step "${step}".`);
  }
  const encoder = new TextEncoder();
  let after = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const rows = await db.logLine.findMany({
        where: { buildId, seq: { gt: after }, ...(step ? { service: step } : {}) },
        orderBy: { seq: "asc" },
        take: PAGE,
        select: { seq: true, service: true, time: true, text: true },
      });
      if (rows.length === 0) return controller.close();
      after = rows.at(-1)!.seq;
      const text = rows.map((l) => `${l.time.toISOString()} [${l.service ?? "build"}] ${stripAnsi(l.text)}\n`).join("");
      controller.enqueue(encoder.encode(text));
    },
  });
  return { stream, filename: `${app.name}-${stage}-${number}${step ? `-${step}` : ""}.log` };
}
