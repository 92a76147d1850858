import "server-only";
import { ZodError } from "zod";
import { AppError } from "@/lib/core/errors";
import type { TActionResult } from "@/lib/core/contracts";

// What a server action returns: plain data or an expected error's message. Anything unexpected is
// logged and shown generically, never as its raw message.

export async function runAction<T>(fn: () => Promise<T>): Promise<TActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, error: e.message, code: e.code };
    if (e instanceof ZodError) {
      const issue = e.issues[0]!;
      return { ok: false, error: `${issue.path.join(".") || "input"}: ${issue.message}`, code: "bad_request" };
    }
    console.error("[sprout] server action failed", e);
    return { ok: false, error: "Something went wrong on the server; it has been logged. Try again.", code: "internal" };
  }
}
