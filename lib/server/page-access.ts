import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { actorFromHeaders, roleOn, type TActor, type TAppRef } from "@/lib/server/auth/authz";
import { getAppByName } from "@/lib/server/data/lookup";
import { loadOr404 } from "@/lib/server/page-data";
import { safeNext } from "@/lib/core/safe-next";
import type { TAccess } from "@/lib/core/roles";

// Pages check access themselves (a layout is not re-run on client navigation): signed out -> the
// sign-in page, back here afterwards; no role on the app -> 404, as for an app that does not exist.

/**
 * The signed-in user of this request, once per request. Pages are for browsers: only the session
 * cookie counts. An API token is ignored here, as proxy.ts ignores it (a page fetched with a token
 * goes to the sign-in page, which shows its form instead of sending it back).
 */
export const currentActor = cache(async (): Promise<TActor | null> => {
  const cookie = (await headers()).get("cookie");
  return cookie ? actorFromHeaders(new Headers({ cookie })) : null;
});

/** Where to come back after signing in: the path proxy.ts saw, if it is one of ours. */
export async function currentPath(): Promise<string> {
  return safeNext((await headers()).get("x-sprout-path"));
}

export async function requireSignedIn(): Promise<TActor> {
  const actor = await currentActor();
  if (!actor) redirect(`/sign-in?next=${encodeURIComponent(await currentPath())}`);
  return actor;
}

/** The signed-in user's access to `app` (404 when they have no role there or it does not exist). */
export const pageAccess = cache(async (app: string): Promise<{ actor: TActor; app: TAppRef; access: TAccess }> => {
  const actor = await requireSignedIn();
  const row = await loadOr404(getAppByName(app));
  const role = await roleOn(actor, row.id);
  if (!role) notFound();
  return { actor, app: { id: row.id, name: row.name }, access: { app, role } };
});
