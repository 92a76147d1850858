import "server-only";
import { db } from "@/lib/db";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { ZStageBody, ZStagePatch } from "@/lib/validation";
import { getAppByName, getStageByName } from "@/lib/data/lookup";
import { stageJson } from "./create-app";

export async function createStage(app: string, body: unknown) {
  const a = await getAppByName(app);
  const input = ZStageBody.parse(body);
  const last = await db.stage.aggregate({ where: { appId: a.id }, _max: { position: true } });
  try {
    const stage = await db.stage.create({
      data: { appId: a.id, name: input.name, position: (last._max.position ?? -1) + 1, driver: input.driver, region: input.region ?? null, endpoint: input.endpoint ?? null },
    });
    return { stage: stageJson(stage) };
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", `App "${app}" already has a stage named "${input.name}".`);
    throw e;
  }
}

export async function updateStage(app: string, stage: string, body: unknown) {
  const st = await getStageByName(app, stage);
  const input = ZStagePatch.parse(body);
  const updated = await db.stage.update({ where: { id: st.id }, data: input });
  return { stage: stageJson(updated) };
}
