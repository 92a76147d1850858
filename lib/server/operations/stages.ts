import "server-only";
import { db } from "@/lib/server/db";
import { AppError, isUniqueViolation } from "@/lib/core/errors";
import { ZStageBody, ZStagePatch } from "@/lib/core/validation";
import { getAppByName, getStageByName } from "@/lib/server/data/lookup";
import { recordAudit } from "@/lib/server/data/audit";
import { stageJson } from "./create-app";

// `by`: who asks, as the audit names them ("user:jay@example.com", "token:ci").
export async function createStage(app: string, body: unknown, by = "system") {
  const a = await getAppByName(app);
  const input = ZStageBody.parse(body);
  const last = await db.stage.aggregate({ where: { appId: a.id }, _max: { position: true } });
  try {
    const stage = await db.$transaction(async (tx) => {
      const stage = await tx.stage.create({
        data: {
          appId: a.id,
          name: input.name,
          position: (last._max.position ?? -1) + 1,
          driver: input.driver,
          region: input.region ?? null,
          endpoint: input.endpoint ?? null,
        },
      });
      await recordAudit(tx, { appId: a.id, actor: by, action: "stage.create", target: stage.name, detail: { driver: stage.driver } });
      return stage;
    });
    return { stage: stageJson(stage) };
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", `App "${app}" already has a stage named "${input.name}".`);
    throw e;
  }
}

export async function updateStage(app: string, stage: string, body: unknown, by = "system") {
  const st = await getStageByName(app, stage);
  const input = ZStagePatch.parse(body);
  const updated = await db.$transaction(async (tx) => {
    const row = await tx.stage.update({ where: { id: st.id }, data: input });
    // the audit keeps what changed: { region: { from, to } }
    const before: Record<string, unknown> = { driver: st.driver, region: st.region, endpoint: st.endpoint };
    const changes = Object.fromEntries(
      Object.entries(input).flatMap(([k, v]) => (before[k] === v ? [] : [[k, { from: before[k], to: v }]])),
    );
    await recordAudit(tx, { appId: st.appId, actor: by, action: "stage.update", target: st.name, detail: changes });
    return row;
  });
  return { stage: stageJson(updated) };
}
