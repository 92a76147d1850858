import "server-only";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { SLUG_RE } from "@/lib/core/domain";
import { PG_INT_MAX } from "@/lib/core/query-params";

// Resolving the names in a URL to rows, with the 404s the API and the pages share.

function checkSlug(kind: string, name: string) {
  if (!SLUG_RE.test(name)) throw new AppError("not_found", `${kind} "${name}" not found (names are lowercase letters, digits and dashes).`);
}

export async function getAppByName(app: string) {
  checkSlug("App", app);
  const row = await db.app.findUnique({ where: { name: app } });
  if (!row) throw new AppError("not_found", `App "${app}" not found.`);
  return row;
}

export async function getStageByName(app: string, stage: string) {
  checkSlug("App", app);
  checkSlug("Stage", stage);
  const row = await db.stage.findFirst({ where: { name: stage, app: { name: app } }, include: { app: true } });
  if (!row) {
    await getAppByName(app); // names the missing app rather than the stage when the app is what's unknown
    throw new AppError("not_found", `Stage "${stage}" not found in app "${app}".`);
  }
  return row;
}

export function parseBuildNumber(raw: string): number {
  const n = Number(raw);
  if (!/^[1-9][0-9]{0,9}$/.test(raw) || n > PG_INT_MAX) {
    throw new AppError("not_found", `Build "${raw}" not found: build numbers are positive integers.`);
  }
  return n;
}

export async function getBuildRow(app: string, stage: string, numberRaw: string) {
  const st = await getStageByName(app, stage);
  const number = parseBuildNumber(numberRaw);
  const build = await db.build.findUnique({ where: { stageId_number: { stageId: st.id, number } } });
  if (!build) throw new AppError("not_found", `Build #${number} not found in ${app}/${stage}.`);
  return { stage: st, build };
}
