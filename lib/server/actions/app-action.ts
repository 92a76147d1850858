import "server-only";
import { headers } from "next/headers";
import { type z, ZodError } from "zod";
import { AppError } from "@/lib/core/errors";
import { crossOriginRefusal, originInput } from "@/lib/core/origin";
import type { TPermission } from "@/lib/core/roles";
import type { TActionResult } from "@/lib/core/contracts";
import { requireActor, requirePermission } from "@/lib/server/auth/authz";
import { connectionErrorLine, DATABASE_UNAVAILABLE, isConnectionError } from "@/lib/server/db-retry";
import type { TAppContext } from "@/lib/server/context";

// Server actions are made with one wrapper: `appAction(schema, permission, fn)` parses the input
// once, refuses a browser's cross-origin post, checks the session's role on the app, and hands `fn`
// `{ actor, app, role }` and the parsed input. What it returns is plain data or an expected error's
// message; anything unexpected is logged and shown generically, never as its raw message.

export async function runAction<T>(fn: () => Promise<T>): Promise<TActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, error: e.message, code: e.code };
    if (e instanceof ZodError) {
      const issue = e.issues[0]!;
      return { ok: false, error: `${issue.path.join(".") || "input"}: ${issue.message}`, code: "bad_request" };
    }
    if (isConnectionError(e)) {
      console.error(connectionErrorLine(e));
      return { ok: false, error: DATABASE_UNAVAILABLE, code: "unavailable" };
    }
    console.error("[sprout] server action failed", e);
    return { ok: false, error: "Something went wrong on the server; it has been logged. Try again.", code: "internal" };
  }
}

export function appAction<S extends z.ZodType<{ app: string }>, T>(
  schema: S,
  permission: TPermission,
  fn: (ctx: TAppContext, input: z.output<S>) => Promise<T>,
): (input: z.input<S>) => Promise<TActionResult<T>> {
  return (input) =>
    runAction(async () => {
      const h = await headers();
      const refusal = crossOriginRefusal(originInput({ method: "POST", headers: h }));
      if (refusal) throw new AppError("forbidden", refusal);
      const parsed = schema.parse(input);
      const ctx = await requirePermission(await requireActor(h), parsed.app, permission);
      return fn(ctx, parsed);
    });
}
