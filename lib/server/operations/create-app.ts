import "server-only";
import { db } from "@/lib/server/db";
import { AppError, isUniqueViolation } from "@/lib/core/errors";
import type { z } from "zod";
import type { ZCreateApp } from "@/lib/core/validation";
import type { TActor } from "@/lib/server/context";
import { recordAudit } from "@/lib/server/data/audit";
import { validateEndpoint } from "@/lib/server/endpoints";

export async function createApp({ input, actor }: { input: z.output<typeof ZCreateApp>; actor: TActor }) {
  const stages = input.stages ?? [{ name: "dev" }, { name: "prod" }];
  const names = stages.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new AppError("bad_request", `stages: "${dup}" is listed twice.`);
  // creating an app needs an instance admin already; the endpoints must still be ones Sprout calls
  for (const s of stages) if (s.endpoint) await validateEndpoint(s.endpoint);
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
              accountId: s.accountId ?? null,
              templateBucket: s.templateBucket ?? null,
              stackNamePattern: s.stackNamePattern ?? null,
              adoptStacks: s.adoptStacks ?? [],
              stepTimeoutMinutes: s.stepTimeoutMinutes,
              branch: s.branch ?? null,
              autoDeploy: s.autoDeploy ?? defaultAutoDeploy(s.name),
              packageTimeoutMinutes: s.packageTimeoutMinutes,
              protected: s.protected ?? false,
              requireApproval: s.requireApproval ?? false,
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
  accountId: string | null;
  templateBucket: string | null;
  stackNamePattern: string | null;
  adoptStacks: string[];
  stepTimeoutMinutes: number;
  branch: string | null;
  autoDeploy: boolean;
  packageTimeoutMinutes: number;
  protected: boolean;
  requireApproval: boolean;
}) {
  const { name, position, driver, region, endpoint, accountId, templateBucket, stackNamePattern, adoptStacks } = s;
  const { stepTimeoutMinutes, branch, autoDeploy, packageTimeoutMinutes } = s;
  return {
    name,
    position,
    driver,
    region,
    endpoint,
    accountId,
    templateBucket,
    stackNamePattern,
    adoptStacks,
    stepTimeoutMinutes,
    branch,
    autoDeploy,
    packageTimeoutMinutes,
    protected: s.protected,
    requireApproval: s.requireApproval,
  };
}

/** As in Seed: a push deploys a stage automatically, unless the stage is prod. */
export function defaultAutoDeploy(stage: string): boolean {
  return stage !== "prod";
}
