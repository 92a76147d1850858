import "server-only";
import { db } from "@/lib/server/db";
import { secretMasker } from "@/lib/core/mask";
import type { TVariables } from "@/lib/core/variables";
import type { TVariableJson } from "@/lib/core/contracts";
import { unseal } from "@/lib/server/crypto/secret-box";
import { getStageOf } from "@/lib/server/data/lookup";
import type { TAppRef } from "@/lib/server/context";

// A stage's variables: listed for the API without any secret's value, and opened (secrets
// unsealed) only for the worker, which gives them to build commands, resolves {{secret:NAME}} in
// parameters, and masks every secret value in what it writes. The notifications mask theirs with
// stageMasker too.

type TRow = { name: string; secret: boolean; value: string; updatedAt: Date; updatedBy: string };

/** A variable as the API answers it: a secret's value never. */
export function variableJson(row: TRow): TVariableJson {
  return {
    name: row.name,
    secret: row.secret,
    ...(row.secret ? {} : { value: row.value }),
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
  };
}

export async function listVariables({ app, stage }: { app: TAppRef; stage: string }): Promise<{ variables: TVariableJson[] }> {
  const st = await getStageOf(app, stage);
  const rows = await db.stageVariable.findMany({ where: { stageId: st.id }, orderBy: { name: "asc" } });
  return { variables: rows.map(variableJson) };
}

/** The stage's variables with their values, secrets unsealed: for the worker only. */
export async function stageVariables(stageId: number): Promise<TVariables> {
  const rows = await db.stageVariable.findMany({ where: { stageId }, orderBy: { name: "asc" } });
  return Object.fromEntries(rows.map((r) => [r.name, { value: r.secret ? unseal(r.value) : r.value, secret: r.secret }]));
}

/** The values of the stage's secrets. */
export const secretValues = (variables: TVariables): string[] => Object.values(variables).flatMap((v) => (v.secret ? [v.value] : []));

/**
 * Masks the stage's secret values (and anything that looks like a credential) in a text: a log
 * line, an error, a notification's message. Read once per build or delivery, then applied to each text.
 */
export async function stageMasker(stageId: number): Promise<(text: string) => string> {
  return secretMasker(secretValues(await stageVariables(stageId)));
}

/**
 * What {{secret:NAME}} resolves to on a stage's driver. The sandbox keeps its simulated stacks,
 * parameters included, in Sprout's own database: a secret stays its reference there, never its value.
 */
export function variablesForDriver(variables: TVariables, driver: string): TVariables {
  if (driver !== "sandbox") return variables;
  return Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, v.secret ? { ...v, value: `{{secret:${k}}}` } : v]));
}
