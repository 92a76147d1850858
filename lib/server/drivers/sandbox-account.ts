import "server-only";
import crypto from "node:crypto";
import type { Prisma } from "@/lib/server/db";
import { isKnownExportValue, type TTemplateAnalysis } from "@/lib/core/templates";
import type { TStageIdentity } from "./types";

// The sandbox driver's simulated AWS account: one row per CloudFormation stack of a stage, with the
// stack's exports (name -> value) and the export names it imports. Shared by the driver and by the
// demo loader, which writes the account that matches the demo's history.

/** A sandbox stage's account when its settings name none. */
export const SANDBOX_IDENTITY: TStageIdentity = { region: "us-east-1", accountId: "000000000000" };

/**
 * An export's value in the sandbox: a value the template states is that value; one only AWS would
 * know (a resource's ARN) is made up, stable for the same stack and value expression, as on AWS.
 */
export function sandboxExportValue(stack: string, canonicalValue: string, at: TStageIdentity = SANDBOX_IDENTITY): string {
  if (isKnownExportValue(canonicalValue)) return JSON.parse(canonicalValue) as string;
  const ref = /^\{"Ref":"([A-Za-z0-9]+)"\}$/.exec(canonicalValue)?.[1];
  const id = crypto.createHash("sha256").update(canonicalValue).digest("hex").slice(0, 12).toUpperCase();
  return `arn:aws:sandbox:${at.region}:${at.accountId}:${stack}-${ref ?? "Value"}-${id}`;
}

export function stackExports(stack: string, analysis: Pick<TTemplateAnalysis, "exports">, at?: TStageIdentity): Record<string, string> {
  return Object.fromEntries(Object.entries(analysis.exports).map(([name, canonical]) => [name, sandboxExportValue(stack, canonical, at)]));
}

type TTx = Prisma.TransactionClient;

export async function putStack(
  tx: TTx,
  stageId: number,
  stack: {
    name: string;
    template: string;
    analysis: Pick<TTemplateAnalysis, "exports" | "imports" | "parameters">;
    status: string;
    at?: TStageIdentity;
  },
): Promise<void> {
  const data = {
    parameters: stack.analysis.parameters,
    template: stack.template,
    exports: stackExports(stack.name, stack.analysis, stack.at),
    imports: stack.analysis.imports,
    status: stack.status,
  };
  await tx.sandboxStack.upsert({
    where: { stageId_name: { stageId, name: stack.name } },
    create: { stageId, name: stack.name, ...data },
    update: data,
  });
}
