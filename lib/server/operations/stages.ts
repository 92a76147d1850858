import "server-only";
import type { z } from "zod";
import { db } from "@/lib/server/db";
import { AppError, isUniqueViolation } from "@/lib/core/errors";
import type { ZStageBody, ZStagePatch } from "@/lib/core/validation";
import { getStageOf } from "@/lib/server/data/lookup";
import { recordAudit } from "@/lib/server/data/audit";
import type { TActor, TAppRef } from "@/lib/server/context";
import { stageJson } from "./create-app";

export interface TCreateStageOptions {
  app: TAppRef;
  input: z.output<typeof ZStageBody>;
  actor: TActor;
}

export async function createStage({ app, input, actor }: TCreateStageOptions) {
  const last = await db.stage.aggregate({ where: { appId: app.id }, _max: { position: true } });
  try {
    const stage = await db.$transaction(async (tx) => {
      const stage = await tx.stage.create({
        data: {
          appId: app.id,
          name: input.name,
          position: (last._max.position ?? -1) + 1,
          driver: input.driver,
          region: input.region ?? null,
          endpoint: input.endpoint ?? null,
          protected: input.protected ?? false,
        },
      });
      await recordAudit(tx, {
        appId: app.id,
        actor: actor.label,
        action: "stage.create",
        target: stage.name,
        detail: { driver: stage.driver },
      });
      return stage;
    });
    return { stage: stageJson(stage) };
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", `App "${app.name}" already has a stage named "${input.name}".`);
    throw e;
  }
}

export interface TUpdateStageOptions {
  app: TAppRef;
  stage: string;
  input: z.output<typeof ZStagePatch>;
  actor: TActor;
}

export async function updateStage({ app, stage, input, actor }: TUpdateStageOptions) {
  const st = await getStageOf(app, stage);
  const updated = await db.$transaction(async (tx) => {
    const row = await tx.stage.update({ where: { id: st.id }, data: input });
    // the audit keeps what changed: { region: { from, to } }
    const before: Record<string, unknown> = { driver: st.driver, region: st.region, endpoint: st.endpoint, protected: st.protected };
    const changes = Object.fromEntries(
      Object.entries(input).flatMap(([k, v]) => (before[k] === v ? [] : [[k, { from: before[k], to: v }]])),
    );
    await recordAudit(tx, { appId: app.id, actor: actor.label, action: "stage.update", target: st.name, detail: changes });
    return row;
  });
  return { stage: stageJson(updated) };
}
