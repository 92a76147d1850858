import "server-only";
import type { TActor, TAppContext } from "@/lib/server/context";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { getAuth } from "@/lib/server/auth/auth";
import { findActiveToken } from "@/lib/server/auth/tokens";
import { appNotFound, getAppByName } from "@/lib/server/data/lookup";
import { crossOriginRefusal, originInput } from "@/lib/core/origin";
import { forbiddenMessage, PERMISSIONS, roleAtLeast, type TPermission, type TRole } from "@/lib/core/roles";

export type { TActor, TAppContext, TAppRef } from "@/lib/server/context";

// The one place that says who is asking and what they may do. Routes and server actions call it
// first, one line each; lib/operations know nothing of it (they take the actor's label).

export const UNAUTHORIZED_MESSAGE = "Sign in or send an API token: Authorization: Bearer <token>.";

/** The session cookie's user, or the Bearer token's; null when the request carries neither. */
export async function actorFromHeaders(headers: Headers): Promise<TActor | null> {
  const authorization = headers.get("authorization");
  if (authorization) {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    const token = m ? await findActiveToken(m[1]!) : null;
    // a wrong token is an error, not a fall-back to the cookie: a script must learn its token failed
    if (!token)
      throw new AppError(
        "unauthorized",
        "This API token is not valid: it was revoked, or never issued. Send Authorization: Bearer <token>.",
      );
    return { kind: "token", id: token.id, name: token.name, appId: token.appId, role: token.role, label: `token:${token.name}` };
  }
  if (!headers.get("cookie")) return null;
  const session = await (await getAuth()).api.getSession({ headers });
  if (!session) return null;
  const { user } = session;
  return { kind: "user", id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin === true, label: `user:${user.email}` };
}

export async function requireActor(headers: Headers): Promise<TActor> {
  const actor = await actorFromHeaders(headers);
  if (!actor) throw new AppError("unauthorized", UNAUTHORIZED_MESSAGE);
  return actor;
}

export const isInstanceAdmin = (actor: TActor) => (actor.kind === "user" ? actor.isAdmin : actor.appId === null && actor.role === "admin");

/** The actor's role on an app: instance admins are admin everywhere; a token only on its app. */
export async function roleOn(actor: TActor, appId: number): Promise<TRole | null> {
  if (isInstanceAdmin(actor)) return "admin";
  if (actor.kind === "token") return actor.appId === null || actor.appId === appId ? actor.role : null;
  const m = await db.membership.findUnique({ where: { appId_userId: { appId, userId: actor.id } }, select: { role: true } });
  return m?.role ?? null;
}

/** A route's actor: 401 if nobody; a browser's cross-origin change is refused first (proxy.ts does too). */
export async function routeActor(req: Request): Promise<TActor> {
  const refusal = crossOriginRefusal(originInput(req));
  if (refusal) throw new AppError("forbidden", refusal);
  return requireActor(req.headers);
}

/**
 * Throws unless the actor may do `what` on `app`: no role at all is the same 404 as an app that does
 * not exist (app names cannot be probed); a role too low is a 403 naming the role it needs (PERMISSIONS).
 */
export async function requirePermission(actor: TActor, app: string, what: TPermission): Promise<TAppContext> {
  const { role: needed, doing } = PERMISSIONS[what];
  const row = await getAppByName(app);
  const role = await roleOn(actor, row.id);
  if (!role) throw appNotFound(app);
  if (!roleAtLeast(role, needed)) throw new AppError("forbidden", forbiddenMessage(app, role, needed, doing));
  return { actor, app: { id: row.id, name: row.name }, role: role! };
}

/** A route's context: who asks (401 if nobody, 403 for a browser's cross-origin change), and may they do `what` (404 or 403). */
export async function appContext(req: Request, app: string, what: TPermission): Promise<TAppContext> {
  return requirePermission(await routeActor(req), app, what);
}

export function requireInstanceAdmin(actor: TActor, doing: string): void {
  if (!isInstanceAdmin(actor)) throw new AppError("forbidden", `${doing} needs an instance admin.`);
}

/** The apps an actor may see: null for all of them. */
export async function visibleAppIds(actor: TActor): Promise<number[] | null> {
  if (isInstanceAdmin(actor)) return null;
  if (actor.kind === "token") return actor.appId === null ? null : [actor.appId];
  return (await db.membership.findMany({ where: { userId: actor.id }, select: { appId: true } })).map((m) => m.appId);
}
