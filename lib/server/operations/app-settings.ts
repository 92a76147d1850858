import "server-only";
import type { z } from "zod";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import type { ZAppPatch } from "@/lib/core/validation";
import type { TPrStagesJson } from "@/lib/core/contracts";
import { prStagesJson } from "@/lib/core/stages";
import { recordAudit } from "@/lib/server/data/audit";
import type { TActor, TAppRef } from "@/lib/server/context";

// An app's own settings (app admins): its pull-request stages, on or off, the stage each is copied
// from, and how many may be open at once.

export async function updateAppSettings({ app, input, actor }: { app: TAppRef; input: z.output<typeof ZAppPatch>; actor: TActor }) {
  const before = await db.app.findUniqueOrThrow({ where: { id: app.id } });
  const next = {
    prStagesEnabled: input.prStages.enabled ?? before.prStagesEnabled,
    prTemplateStage: input.prStages.templateStage ?? before.prTemplateStage,
    prStageLimit: input.prStages.limit ?? before.prStageLimit,
  };
  if (next.prStagesEnabled) {
    const template = await db.stage.findUnique({ where: { appId_name: { appId: app.id, name: next.prTemplateStage } } });
    if (!template || template.archived || template.prNumber !== null) {
      const stages = await db.stage.findMany({ where: { appId: app.id, archived: false, prNumber: null }, select: { name: true } });
      throw new AppError(
        "bad_request",
        `prStages.templateStage: ${app.name} has no stage ${next.prTemplateStage} to copy PR stages from; pick one of ${stages.map((s) => s.name).join(", ") || "its stages (it has none yet)"}.`,
      );
    }
  }
  const was = prStagesJson(before);
  const now = prStagesJson(next);
  const changes = Object.fromEntries(
    (Object.keys(now) as (keyof TPrStagesJson)[]).flatMap((k) => (was[k] === now[k] ? [] : [[k, { from: was[k], to: now[k] }]])),
  );
  const row = await db.$transaction(async (tx) => {
    const row = await tx.app.update({ where: { id: app.id }, data: next });
    await recordAudit(tx, { appId: app.id, actor: actor.label, action: "app.update", target: app.name, detail: { prStages: changes } });
    return row;
  });
  return { app: { name: row.name, prStages: prStagesJson(row) } };
}
