"use server";
import "server-only";

import { headers } from "next/headers";
import { z } from "zod";
import { AppError } from "@/lib/core/errors";
import { crossOriginRefusal, originInput } from "@/lib/core/origin";
import { ZRepositoryInput, ZSlug } from "@/lib/core/validation";
import { requireActor, requireInstanceAdmin } from "@/lib/server/auth/authz";
import { createAppFromRepository, previewRepository } from "@/lib/server/operations/app-from-repository";
import type { TActor } from "@/lib/server/context";
import { runAction } from "./app-action";

// The New app page (instance admins): read a repository's sprout.yml, then create the app from it.
// No app exists yet, so these check the instance-admin role themselves rather than through appAction.

async function instanceAdmin(): Promise<TActor> {
  const h = await headers();
  const refusal = crossOriginRefusal(originInput({ method: "POST", headers: h }));
  if (refusal) throw new AppError("forbidden", refusal);
  const actor = await requireActor(h);
  requireInstanceAdmin(actor, "Creating an app");
  return actor;
}

export async function previewAppAction(input: { url: string }) {
  return runAction(async () => {
    await instanceAdmin();
    return previewRepository({ url: ZRepositoryInput.parse(input).url });
  });
}

export async function createAppAction(input: { name: string; url: string }) {
  return runAction(async () => {
    const actor = await instanceAdmin();
    const { name, url } = z.object({ name: ZSlug, url: ZRepositoryInput.shape.url }).parse(input);
    return createAppFromRepository({ name, url, actor });
  });
}
