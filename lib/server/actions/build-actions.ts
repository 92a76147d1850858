"use server";
import "server-only";

import { z } from "zod";
import { ZRollbackBody, ZSlug } from "@/lib/core/validation";
import { cancelBuild } from "@/lib/server/operations/cancel-build";
import { redeploy } from "@/lib/server/operations/redeploy";
import { rollback } from "@/lib/server/operations/rollback";
import { appAction } from "./app-action";

// The dashboard's mutations on a build: each calls one operation and returns plain data.
const ZBuildRef = z.object({ app: ZSlug, stage: ZSlug, number: z.number().int().positive() });

export const rollbackAction = appAction(
  ZBuildRef.extend(ZRollbackBody.shape),
  "rollback",
  async ({ app, actor }, { stage, number, reason, services }) => {
    const { build, created } = await rollback({ app, stage, number, actor, reason, services });
    return { number: build.number, created };
  },
);

export const redeployAction = appAction(ZBuildRef, "redeploy", async ({ app, actor }, { stage, number }) => {
  const build = await redeploy({ app, stage, number, actor });
  return { number: build.number };
});

export const cancelAction = appAction(ZBuildRef, "cancel", async ({ app, actor }, { stage, number }) => {
  const build = await cancelBuild({ app, stage, number, actor });
  return { status: build.status };
});
