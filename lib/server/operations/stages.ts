import "server-only";
import type { z } from "zod";
import { db } from "@/lib/server/db";
import { AppError, isUniqueViolation } from "@/lib/core/errors";
import { ENDPOINT_ADMIN_ONLY } from "@/lib/core/roles";
import type { ZStageBody, ZStagePatch } from "@/lib/core/validation";
import { getStageOf } from "@/lib/server/data/lookup";
import { recordAudit } from "@/lib/server/data/audit";
import { isInstanceAdmin } from "@/lib/server/auth/authz";
import { validateEndpoint } from "@/lib/server/endpoints";
import type { TActor, TAppRef } from "@/lib/server/context";
import { defaultAutoDeploy, stageJson } from "./create-app";

// Stage settings. An endpoint receives requests signed with the host's AWS credentials, so only an
// instance admin sets or changes it, and only to an address Sprout may call (lib/server/endpoints.ts).

/** Throws unless `actor` may point a stage at `endpoint` (403 for anyone but an instance admin, 400 for an address Sprout does not call). */
export async function checkEndpointChange(actor: TActor, endpoint: string | null): Promise<void> {
  if (!isInstanceAdmin(actor)) throw new AppError("forbidden", `${ENDPOINT_ADMIN_ONLY} Ask one, or leave endpoint out.`);
  if (endpoint !== null) await validateEndpoint(endpoint);
}

export interface TCreateStageOptions {
  app: TAppRef;
  input: z.output<typeof ZStageBody>;
  actor: TActor;
}

export async function createStage({ app, input, actor }: TCreateStageOptions) {
  if (input.endpoint) await checkEndpointChange(actor, input.endpoint);
  const last = await db.stage.aggregate({ where: { appId: app.id }, _max: { position: true } });
  try {
    const stage = await db.$transaction(async (tx) => {
      const stage = await tx.stage.create({
        data: {
          appId: app.id,
          name: input.name,
          position: (last._max.position ?? -1) + 1,
          driver: input.driver,
          region: input.region ?? null,
          endpoint: input.endpoint ?? null,
          accountId: input.accountId ?? null,
          templateBucket: input.templateBucket ?? null,
          stackNamePattern: input.stackNamePattern ?? null,
          adoptStacks: input.adoptStacks ?? [],
          stepTimeoutMinutes: input.stepTimeoutMinutes,
          branch: input.branch ?? null,
          autoDeploy: input.autoDeploy ?? defaultAutoDeploy(input.name),
          packageTimeoutMinutes: input.packageTimeoutMinutes,
          protected: input.protected ?? false,
          requireApproval: input.requireApproval ?? false,
        },
      });
      await recordAudit(tx, {
        appId: app.id,
        actor: actor.label,
        action: "stage.create",
        target: stage.name,
        detail: { driver: stage.driver, ...(stage.endpoint ? { endpoint: stage.endpoint } : {}) },
      });
      return stage;
    });
    return { stage: stageJson(stage) };
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", `App "${app.name}" already has a stage named "${input.name}".`);
    throw e;
  }
}

export interface TUpdateStageOptions {
  app: TAppRef;
  stage: string;
  input: z.output<typeof ZStagePatch>;
  actor: TActor;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export async function updateStage({ app, stage, input, actor }: TUpdateStageOptions) {
  const st = await getStageOf(app, stage);
  if (input.endpoint !== undefined && !same(input.endpoint, st.endpoint)) await checkEndpointChange(actor, input.endpoint);
  const before: Record<string, unknown> = {
    driver: st.driver,
    region: st.region,
    endpoint: st.endpoint,
    accountId: st.accountId,
    templateBucket: st.templateBucket,
    stackNamePattern: st.stackNamePattern,
    adoptStacks: st.adoptStacks,
    stepTimeoutMinutes: st.stepTimeoutMinutes,
    branch: st.branch,
    autoDeploy: st.autoDeploy,
    packageTimeoutMinutes: st.packageTimeoutMinutes,
    protected: st.protected,
    requireApproval: st.requireApproval,
  };
  // the audit keeps what changed: { region: { from, to } }
  const changes = Object.fromEntries(
    Object.entries(input).flatMap(([k, v]) => (v === undefined || same(before[k], v) ? [] : [[k, { from: before[k], to: v }]])),
  );
  const updated = await db.$transaction(async (tx) => {
    const row = await tx.stage.update({ where: { id: st.id }, data: input });
    // stacks deployed before Sprout tagged them are the stage's only where they were deployed
    if ("driver" in changes || "region" in changes || "endpoint" in changes)
      await tx.stageStack.updateMany({ where: { stageId: st.id, legacy: true }, data: { legacy: false } });
    await recordAudit(tx, { appId: app.id, actor: actor.label, action: "stage.update", target: st.name, detail: changes });
    return row;
  });
  return { stage: stageJson(updated) };
}
