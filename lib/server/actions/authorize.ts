import "server-only";
import { headers } from "next/headers";
import { requireActor, requirePermission, type TActor } from "@/lib/server/auth/authz";
import type { TPermission } from "@/lib/core/roles";

// A server action's first line. Next already refuses actions posted from another origin; this
// says who is acting (the session cookie) and whether their role on the app allows `what`
// (PERMISSIONS in lib/roles holds the role it needs and the refusal's wording).
export async function authorizeAction(app: string, what: TPermission): Promise<TActor> {
  const actor = await requireActor(await headers());
  await requirePermission(actor, app, what);
  return actor;
}
