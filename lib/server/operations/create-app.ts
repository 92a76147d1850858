import "server-only";
import { db } from "@/lib/server/db";
import { AppError, isUniqueViolation } from "@/lib/core/errors";
import type { z } from "zod";
import type { ZCreateApp } from "@/lib/core/validation";
import type { TActor } from "@/lib/server/context";
import { recordAudit } from "@/lib/server/data/audit";

export async function createApp({ input, actor }: { input: z.output<typeof ZCreateApp>; actor: TActor }) {
  const stages = input.stages ?? [{ name: "dev" }, { name: "prod" }];
  const names = stages.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new AppError("bad_request", `stages: "${dup}" is listed twice.`);
  try {
    const app = await db.$transaction(async (tx) => {
      const app = await tx.app.create({
        data: {
          name: input.name,
          stages: {
            create: stages.map((s, position) => ({
              name: s.name,
              position,
              driver: s.driver,
              region: s.region ?? null,
              endpoint: s.endpoint ?? null,
            })),
          },
        },
        include: { stages: { orderBy: { position: "asc" } } },
      });
      await recordAudit(tx, { appId: app.id, actor: actor.label, action: "app.create", target: app.name, detail: { stages: names } });
      return app;
    });
    return { app: { name: app.name, stages: app.stages.map(stageJson) } };
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", `An app named "${input.name}" already exists.`);
    throw e;
  }
}

export function stageJson(s: {
  name: string;
  position: number;
  driver: string;
  region: string | null;
  endpoint: string | null;
  protected: boolean;
}) {
  return { name: s.name, position: s.position, driver: s.driver, region: s.region, endpoint: s.endpoint, protected: s.protected };
}
