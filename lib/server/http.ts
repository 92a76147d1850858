import "server-only";
import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { AppError } from "@/lib/core/errors";

// Route handlers stay one-liners over lib/: this turns an expected AppError into its status and
// `{ error: { code, message } }`, a zod failure into a 400 naming the field, anything else into a
// logged, generic 500.

export function errorResponse(e: unknown): NextResponse {
  if (e instanceof AppError) {
    return NextResponse.json(
      { error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } },
      { status: e.status },
    );
  }
  if (e instanceof ZodError) {
    const issue = e.issues[0]!;
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    return NextResponse.json({ error: { code: "bad_request", message: `${where}${issue.message}` } }, { status: 400 });
  }
  console.error("[sprout] unexpected error", e);
  return NextResponse.json(
    { error: { code: "internal", message: "Something went wrong on the server; it has been logged." } },
    { status: 500 },
  );
}

export async function handle(fn: () => Promise<unknown>, status = 200): Promise<NextResponse> {
  try {
    const body = await fn();
    return NextResponse.json(body, { status, headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}

export async function readJson(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
}
