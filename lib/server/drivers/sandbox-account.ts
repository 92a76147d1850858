import "server-only";
import crypto from "node:crypto";
import type { Prisma } from "@/lib/server/db";
import type { TTemplateAnalysis } from "@/lib/core/templates";

// The sandbox driver's simulated AWS account: one row per CloudFormation stack of a stage, with the
// stack's exports (name -> value) and the export names it imports. Shared by the driver and by the
// demo loader, which writes the account that matches the demo's history.

export const SANDBOX_ACCOUNT_ID = "000000000000";
export const SANDBOX_REGION = "us-east-1";

/** An export's value in the sandbox: stable for the same stack and value expression, as on AWS. */
export function sandboxExportValue(stack: string, canonicalValue: string): string {
  const ref = /^\{"Ref":"([A-Za-z0-9]+)"\}$/.exec(canonicalValue)?.[1];
  const id = crypto.createHash("sha256").update(canonicalValue).digest("hex").slice(0, 12).toUpperCase();
  return `arn:aws:sandbox:${SANDBOX_REGION}:${SANDBOX_ACCOUNT_ID}:${stack}-${ref ?? "Value"}-${id}`;
}

export function stackExports(stack: string, analysis: Pick<TTemplateAnalysis, "exports">): Record<string, string> {
  return Object.fromEntries(Object.entries(analysis.exports).map(([name, canonical]) => [name, sandboxExportValue(stack, canonical)]));
}

type TTx = Prisma.TransactionClient;

export async function putStack(
  tx: TTx,
  stageId: number,
  stack: { name: string; template: string; analysis: Pick<TTemplateAnalysis, "exports" | "imports">; status: string },
): Promise<void> {
  const data = {
    template: stack.template,
    exports: stackExports(stack.name, stack.analysis),
    imports: stack.analysis.imports,
    status: stack.status,
  };
  await tx.sandboxStack.upsert({
    where: { stageId_name: { stageId, name: stack.name } },
    create: { stageId, name: stack.name, ...data },
    update: data,
  });
}
