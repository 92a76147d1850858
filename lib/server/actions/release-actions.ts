"use server";
import "server-only";

import { z } from "zod";
import { ZPromoteBody, ZSlug } from "@/lib/core/validation";
import { approveBuild, rejectBuild } from "@/lib/server/operations/approve";
import { unpinStage } from "@/lib/server/operations/pin";
import { promote } from "@/lib/server/operations/promote";
import { updateStage } from "@/lib/server/operations/stages";
import { appAction } from "./app-action";

// The dashboard's release-flow mutations: promote, approve or reject, unpin, require approval.
const ZBuildRef = z.object({ app: ZSlug, stage: ZSlug, number: z.number().int().positive() });

export const promoteAction = appAction(
  ZBuildRef.extend(ZPromoteBody.shape),
  "promote",
  async ({ app, actor }, { stage, number, to, force }) => {
    const build = await promote({ app, stage, number, input: { to, force }, actor });
    return { number: build.number, status: build.status };
  },
);

export const approveAction = appAction(ZBuildRef, "approve", async ({ app, actor }, { stage, number }) => {
  const build = await approveBuild({ app, stage, number, actor });
  return { status: build.status };
});

export const rejectAction = appAction(ZBuildRef, "approve", async ({ app, actor }, { stage, number }) => {
  const build = await rejectBuild({ app, stage, number, actor });
  return { status: build.status };
});

export const unpinAction = appAction(z.object({ app: ZSlug, stage: ZSlug }), "unpin", async ({ app, actor }, { stage }) =>
  unpinStage({ app, stage, actor }),
);

export const requireApprovalAction = appAction(
  z.object({ app: ZSlug, stage: ZSlug, requireApproval: z.boolean() }),
  "settings",
  async ({ app, actor }, { stage, requireApproval }) => {
    const { stage: updated } = await updateStage({ app, stage, input: { requireApproval }, actor });
    return { requireApproval: updated.requireApproval };
  },
);
