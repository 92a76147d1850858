"use server";

import { z } from "zod";
import { ZSlug } from "@/lib/core/validation";
import { cancelBuild } from "@/lib/server/operations/cancel-build";
import { redeploy } from "@/lib/server/operations/redeploy";
import { rollback } from "@/lib/server/operations/rollback";
import { runAction } from "./action-result";
import { authorizeAction } from "./authorize";

// The dashboard's mutations. Each validates its input, checks the user's role on the app, calls one
// lib operation and returns plain data.
const ZBuildRef = z.object({ app: ZSlug, stage: ZSlug, number: z.number().int().positive() });
type TBuildRef = z.infer<typeof ZBuildRef>;

export async function rollbackAction(input: TBuildRef) {
  return runAction(async () => {
    const { app, stage, number } = ZBuildRef.parse(input);
    const actor = await authorizeAction(app, "rollback");
    const { build, created } = await rollback(app, stage, String(number), actor.label);
    return { number: build.number, created };
  });
}

export async function redeployAction(input: TBuildRef) {
  return runAction(async () => {
    const { app, stage, number } = ZBuildRef.parse(input);
    const actor = await authorizeAction(app, "redeploy");
    const build = await redeploy(app, stage, String(number), actor.label);
    return { number: build.number };
  });
}

export async function cancelAction(input: TBuildRef) {
  return runAction(async () => {
    const { app, stage, number } = ZBuildRef.parse(input);
    const actor = await authorizeAction(app, "cancel");
    const build = await cancelBuild(app, stage, String(number), actor.label);
    return { status: build.status };
  });
}
