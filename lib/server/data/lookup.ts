import "server-only";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { SLUG_RE } from "@/lib/core/domain";
import { PG_INT_MAX } from "@/lib/core/query-params";
import type { TAppRef } from "@/lib/server/context";

// Resolving the names in a URL to rows, with the 404s the API and the pages share.

function checkSlug(kind: string, name: string) {
  if (!SLUG_RE.test(name)) throw new AppError("not_found", `${kind} "${name}" not found (names are lowercase letters, digits and dashes).`);
}

/** The 404 of an app that does not exist, also answered to whoever has no role on it. */
export const appNotFound = (app: string) => new AppError("not_found", `App "${app}" not found.`);

export async function getAppByName(app: string) {
  checkSlug("App", app);
  const row = await db.app.findUnique({ where: { name: app } });
  if (!row) throw appNotFound(app);
  return row;
}

/** A stage of an app already looked up (and authorized) at the boundary. */
export async function getStageOf(app: TAppRef, stage: string) {
  checkSlug("Stage", stage);
  const row = await db.stage.findUnique({ where: { appId_name: { appId: app.id, name: stage } } });
  if (!row) throw new AppError("not_found", `Stage "${stage}" not found in app "${app.name}".`);
  return row;
}

/** A build number from a URL: positive and within PostgreSQL's integer, else no build has it (404). */
export function parseBuildNumber(raw: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(raw) || Number(raw) > PG_INT_MAX) {
    throw new AppError("not_found", `Build "${raw}" not found: build numbers are positive integers.`);
  }
  return Number(raw);
}

export async function getBuildRow(app: TAppRef, stage: string, number: number) {
  const st = await getStageOf(app, stage);
  const build = await db.build.findUnique({ where: { stageId_number: { stageId: st.id, number } } });
  if (!build) throw new AppError("not_found", `Build #${number} not found in ${app.name}/${stage}.`);
  return { stage: st, build };
}
