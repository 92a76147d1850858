import "server-only";
import { headers } from "next/headers";
import { requireActor, requireRole, type TActor } from "@/lib/authz";
import type { TRole } from "@/lib/roles";

// A server action's first line. Next already refuses actions posted from another origin; this
// says who is acting (the session cookie) and whether their role on the app allows it.
export async function authorizeAction(app: string, needed: TRole, doing: string): Promise<TActor> {
  const actor = await requireActor(await headers());
  await requireRole(actor, app, needed, doing);
  return actor;
}
