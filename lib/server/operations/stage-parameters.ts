import "server-only";
import type { z } from "zod";
import { db, type Prisma } from "@/lib/server/db";
import { SLUG_RE } from "@/lib/core/domain";
import { AppError } from "@/lib/core/errors";
import { getStageOf } from "@/lib/server/data/lookup";
import { recordAudit } from "@/lib/server/data/audit";
import type { ZParameterValues } from "@/lib/core/validation";
import type { TActor, TAppRef } from "@/lib/server/context";

// A stage's CloudFormation parameter values, per service. They win over a manifest's values and
// are resolved into the artifact a deploy makes, so a rollback restores the values it deployed
// with. The audit names the parameters changed, never their values.

export type TStageParameters = Record<string, Record<string, string>>;

export async function getStageParameters({ app, stage }: { app: TAppRef; stage: string }): Promise<{ parameters: TStageParameters }> {
  const st = await getStageOf(app, stage);
  return { parameters: (st.parameters ?? {}) as TStageParameters };
}

export interface TSetStageParametersOptions {
  app: TAppRef;
  stage: string;
  service: string;
  /** the service's values, replacing the ones it had; empty removes them */
  values: z.output<typeof ZParameterValues>;
  actor: TActor;
}

export async function setStageParameters({ app, stage, service, values, actor }: TSetStageParametersOptions) {
  if (!SLUG_RE.test(service))
    throw new AppError("bad_request", `"${service}" is not a service name (lowercase letters, digits and dashes).`);
  const st = await getStageOf(app, stage);
  return db.$transaction(async (tx) => {
    // under the stage row's lock: two admins editing two services both keep their change
    const [row] = await tx.$queryRaw<{ parameters: TStageParameters }[]>`SELECT parameters FROM stages WHERE id = ${st.id} FOR UPDATE`;
    const all = { ...(row?.parameters ?? {}) };
    const before = all[service] ?? {};
    if (Object.keys(values).length) all[service] = values;
    else delete all[service];
    await tx.stage.update({ where: { id: st.id }, data: { parameters: all as Prisma.InputJsonValue } });
    const names = [...new Set([...Object.keys(before), ...Object.keys(values)])].sort();
    const changed = names.filter((n) => before[n] !== values[n]);
    await recordAudit(tx, {
      appId: app.id,
      actor: actor.label,
      action: "stage.parameters",
      target: `${st.name} ${service}`,
      detail: { changed },
    });
    return { parameters: all };
  });
}
