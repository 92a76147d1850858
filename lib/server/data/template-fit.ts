import "server-only";
import { db, type Stage } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import type { TPlan } from "@/lib/core/planner";
import { deployedTemplateBytes, inlineTooLargeMessage, MAX_INLINE_TEMPLATE_BYTES } from "@/lib/core/templates";
import type { TArtifactRow } from "@/lib/server/data/service-states";

// A build that would create or update a stack from a template over 51,200 bytes, in a cloudformation
// stage with no templateBucket, would fail at its step: every kind of build (deploy, promote,
// rollback, redeploy, a source build once packaged) is refused before it runs, with the driver's message.

export async function assertTemplatesFit(stage: Stage, plan: TPlan, pending: TArtifactRow[] = []): Promise<void> {
  if (stage.driver !== "cloudformation" || stage.templateBucket) return;
  const deploying = plan.steps.filter((s) => (s.action === "create" || s.action === "update") && s.artifact !== null);
  if (deploying.length === 0) return;
  const known = new Map(pending.map((a) => [a.digest, a.template]));
  const missing = deploying.map((s) => s.artifact!).filter((d) => !known.has(d));
  if (missing.length) {
    const rows = await db.artifact.findMany({ where: { digest: { in: missing } }, select: { digest: true, template: true } });
    for (const row of rows) known.set(row.digest, row.template);
  }
  for (const step of deploying) {
    const template = known.get(step.artifact!);
    if (template === undefined) continue;
    const bytes = deployedTemplateBytes(template, stage.name);
    if (bytes > MAX_INLINE_TEMPLATE_BYTES) {
      throw new AppError("bad_request", inlineTooLargeMessage(`${step.service}'s template`, bytes, stage.name));
    }
  }
}
