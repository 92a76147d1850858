import "server-only";
import type { z } from "zod";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { variableNameProblem, variableValueProblem } from "@/lib/core/source/build-environment";
import { SECRET_MIN_LENGTH } from "@/lib/core/variables";
import type { ZVariablePut } from "@/lib/core/validation";
import type { TVariableJson } from "@/lib/core/contracts";
import { seal } from "@/lib/server/crypto/secret-box";
import { getStageOf } from "@/lib/server/data/lookup";
import { recordAudit } from "@/lib/server/data/audit";
import { variableJson } from "@/lib/server/data/stage-variables";
import type { TActor, TAppRef } from "@/lib/server/context";

// Setting and removing a stage's variables (app admins). A secret is sealed before it is stored
// and never answered again; the audit names the variable, never its value.

export interface TSetVariableOptions {
  app: TAppRef;
  stage: string;
  name: string;
  input: z.output<typeof ZVariablePut>;
  actor: TActor;
}

export async function setVariable({ app, stage, name, input, actor }: TSetVariableOptions): Promise<{ variable: TVariableJson }> {
  const nameProblem = variableNameProblem(name);
  if (nameProblem) throw new AppError("bad_request", `name: ${nameProblem}.`);
  const valueProblem = variableValueProblem(name, input.value);
  if (valueProblem) throw new AppError("bad_request", `value: ${valueProblem}.`);
  const st = await getStageOf(app, stage);
  const before = await db.stageVariable.findUnique({ where: { stageId_name: { stageId: st.id, name } }, select: { secret: true } });
  const secret = input.secret ?? before?.secret ?? false;
  if (secret && input.value.length < SECRET_MIN_LENGTH)
    throw new AppError(
      "bad_request",
      `value: a secret must be at least ${SECRET_MIN_LENGTH} characters: a shorter one would hide ordinary text wherever it is masked in logs. Store it as a plain variable (secret: false) if it is not secret.`,
    );
  const value = secret ? seal(input.value) : input.value;
  const row = await db.$transaction(async (tx) => {
    const row = await tx.stageVariable.upsert({
      where: { stageId_name: { stageId: st.id, name } },
      create: { stageId: st.id, name, secret, value, updatedBy: actor.label },
      update: { secret, value, updatedBy: actor.label },
    });
    await recordAudit(tx, {
      appId: app.id,
      actor: actor.label,
      action: "variable.set",
      target: `${st.name} ${name}`,
      detail: { stage: st.name, name, secret, ...(before ? { replaced: true } : { created: true }) },
    });
    return row;
  });
  return { variable: variableJson(row) };
}

export async function deleteVariable({ app, stage, name, actor }: { app: TAppRef; stage: string; name: string; actor: TActor }) {
  const st = await getStageOf(app, stage);
  await db.$transaction(async (tx) => {
    const { count } = await tx.stageVariable.deleteMany({ where: { stageId: st.id, name } });
    if (!count) throw new AppError("not_found", `Stage ${st.name} of ${app.name} has no variable ${name.slice(0, 128)}.`);
    await recordAudit(tx, {
      appId: app.id,
      actor: actor.label,
      action: "variable.delete",
      target: `${st.name} ${name}`,
      detail: { stage: st.name, name },
    });
  });
  return { deleted: name };
}
