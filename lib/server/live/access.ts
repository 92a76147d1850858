import "server-only";
import crypto from "node:crypto";
import { AppError } from "@/lib/core/errors";
import type { TPermission } from "@/lib/core/roles";
import { requireActor, requirePermission } from "@/lib/server/auth/authz";

// An open stream was authorized when it opened; its reader's access is checked again while it
// runs (lib/server/live/sse.ts), so that a revoked token, a removed member or an ended session
// stops receiving. Pages open several streams with one credential: a check is shared for a second.

const SHARE_MS = 1_000;
const recent = new Map<string, { at: number; allowed: Promise<boolean> }>();

async function check(headers: Headers, app: string, what: TPermission): Promise<boolean> {
  try {
    await requirePermission(await requireActor(headers), app, what);
    return true;
  } catch (e) {
    if (e instanceof AppError) return false; // 401, 403 or 404: access is gone
    throw e;
  }
}

/** The stream's `stillAllowed`: whether the request's credential still holds `what` on `app`. */
export function streamAccess(req: Request, app: string, what: TPermission): () => Promise<boolean> {
  const credential = `${req.headers.get("authorization") ?? ""}\n${req.headers.get("cookie") ?? ""}`;
  const key = `${crypto.createHash("sha256").update(credential).digest("base64url")}:${app}:${what}`;
  const headers = new Headers({ ...pick(req.headers, "authorization"), ...pick(req.headers, "cookie") });
  return () => {
    const now = Date.now();
    const hit = recent.get(key);
    if (hit && now - hit.at < SHARE_MS) return hit.allowed;
    for (const [k, v] of recent) if (now - v.at >= SHARE_MS) recent.delete(k);
    const allowed = check(headers, app, what);
    recent.set(key, { at: now, allowed });
    allowed.catch(() => recent.delete(key));
    return allowed;
  };
}

function pick(headers: Headers, name: string): Record<string, string> {
  const v = headers.get(name);
  return v ? { [name]: v } : {};
}
