import "server-only";
import { db, type Stage } from "@/lib/server/db";
import type { TPlan } from "@/lib/core/planner";
import { resourceChanges, resourcesOf, type TResourceChange } from "@/lib/core/resource-changes";
import { parseTemplate, substituteStage, TemplateError } from "@/lib/core/templates";
import { AppError } from "@/lib/core/errors";
import { driverFor, driverStage } from "@/lib/server/drivers";
import { DriverError } from "@/lib/server/drivers/types";
import { checkStacks, stackNamesOf } from "@/lib/server/data/stacks";
import type { TArtifactRow } from "@/lib/server/data/service-states";
import type { TPromotePlan, TPromotePlanStep } from "@/lib/core/contracts";

// Per step of a promote, the resources it adds, modifies and removes in the target stage. The
// sandbox compares the live and the promoted templates; a driver that can ask its target
// (cloudformation: a change set, deleted after) is asked for every stack that exists.

function resources(template: string | null): Record<string, unknown> {
  if (template === null) return resourcesOf(null);
  try {
    return resourcesOf(parseTemplate(template));
  } catch (e) {
    if (e instanceof TemplateError) return {};
    throw e;
  }
}

export async function promoteChanges(
  stage: Stage,
  plan: TPlan,
  artifacts: TArtifactRow[],
): Promise<{ steps: TPromotePlanStep[]; resourcesFrom: TPromotePlan["resourcesFrom"] }> {
  const byDigest = new Map(artifacts.map((a) => [a.digest, a]));
  const acting = plan.steps.filter((s) => s.action === "update" || s.action === "create").map((s) => s.service);
  const liveRows = await db.liveState.findMany({
    where: { stageId: stage.id, service: { in: acting } },
    select: { service: true, artifact: { select: { template: true } } },
  });
  const liveTemplate = new Map(liveRows.map((r) => [r.service, r.artifact.template]));
  const driver = await driverFor(stage.driver);
  const names = driver.previewChanges ? await stackNamesOf(db, stage, acting) : {};
  const checks = driver.previewChanges ? await checkStacks(stage, names) : {};
  const steps: TPromotePlanStep[] = [];
  for (const s of plan.steps) {
    const next = s.artifact ? byDigest.get(s.artifact) : undefined;
    let changes: TResourceChange[] = [];
    let from: TPromotePlanStep["resourcesFrom"] = "templates";
    if (next && (s.action === "update" || s.action === "create")) {
      const fromTemplates = () => resourceChanges(resources(liveTemplate.get(s.service) ?? null), resources(next.template));
      const check = checks[s.service];
      if (driver.previewChanges && check && "guard" in check) {
        try {
          const asked = await driver.previewChanges({
            stage: driverStage(stage),
            service: s.service,
            stackName: names[s.service]!,
            guard: check.guard,
            template: substituteStage(next.template, stage.name),
            artifact: next.digest,
            parameters: next.parameters,
          });
          changes = asked ?? fromTemplates();
          if (asked) from = "change-set";
        } catch (e) {
          if (e instanceof DriverError)
            throw new AppError("conflict", `Could not ask ${stage.name}'s account what promoting ${s.service} changes: ${e.message}`);
          throw e;
        }
      } else changes = fromTemplates();
    }
    steps.push({
      service: s.service,
      action: s.action,
      artifact: s.artifact,
      after: s.after,
      phase: s.phase,
      resources: changes,
      resourcesFrom: from,
    });
  }
  return { steps, resourcesFrom: driver.previewChanges ? "change-set" : "templates" };
}
