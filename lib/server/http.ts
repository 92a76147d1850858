import "server-only";
import { NextResponse } from "next/server";
import { type z, ZodError } from "zod";
import type { AppRouteHandlerRoutes, ParamMap } from "@/.next/types/routes";
import { AppError } from "@/lib/core/errors";
import { queryOf } from "@/lib/core/query-params";
import type { TPermission } from "@/lib/core/roles";
import { appContext, routeActor, type TActor, type TAppContext } from "@/lib/server/auth/authz";
import { parseBuildNumber } from "@/lib/server/data/lookup";

// The two shapes of a route handler: `withActor` for routes outside an app, `withApp` for routes
// under /api/apps/{app}. Both authenticate once, parse the body and query once with the route's
// zod schemas, and turn what the handler throws into the API's `{ error: { code, message } }`:
// an AppError into its status, a zod failure into a 400 naming the field, anything else into a
// logged, generic 500. Route params come typed from Next's own route types (`next typegen`).

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

/** A handler's answer: JSON with `status`, or a Response it built itself (SSE, a status that depends on the outcome). */
async function respond(fn: () => Promise<unknown>, status: number): Promise<Response> {
  try {
    const body = await fn();
    if (body instanceof Response) return body;
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

/** A body that may be absent (scripts POST without one): `{}` when empty, else its JSON. */
export async function readOptionalJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
}

/** A route's params but `app` (the context has the app itself); `number` is a build number, parsed once here (a 404 when it names no build). */
type TParsedParams<P> = { [K in Exclude<keyof P, "app">]: K extends "number" ? number : P[K] };

interface TRouteOptions<B, Q> {
  /** the JSON body's schema: the handler gets the parsed body */
  body?: z.ZodType<B>;
  /** the query string's schema */
  query?: z.ZodType<Q>;
  /** the status of a successful answer (default 200) */
  status?: number;
}

type TInput<B, Q> = { req: Request; body: B; query: Q };

async function parseInput<B, Q>(req: Request, opts: TRouteOptions<B, Q>): Promise<{ body: B; query: Q }> {
  const body = opts.body ? opts.body.parse(await readJson(req)) : (undefined as B);
  const query = opts.query ? opts.query.parse(queryOf(req.url)) : (undefined as Q);
  return { body, query };
}

/** A route outside any app: who asks (401 if nobody, 403 for a browser's cross-origin change). */
export function withActor<B = undefined, Q = undefined>(
  handler: (ctx: { actor: TActor } & TInput<B, Q>) => Promise<unknown>,
  opts: TRouteOptions<B, Q> = {},
) {
  return (req: Request) =>
    respond(async () => {
      const actor = await routeActor(req);
      return handler({ actor, req, ...(await parseInput(req, opts)) });
    }, opts.status ?? 200);
}

/**
 * A route under /api/apps/{app}: the actor must hold `permission` on the app (PERMISSIONS in
 * lib/core/roles names the role it needs and the refusal's wording). The handler gets
 * `{ actor, app, role }`, the typed params, and the parsed body and query.
 */
export function withApp<R extends AppRouteHandlerRoutes, B = undefined, Q = undefined>(
  _route: R,
  permission: TPermission,
  handler: (ctx: TAppContext & { params: TParsedParams<ParamMap[R]> } & TInput<B, Q>) => Promise<unknown>,
  opts: TRouteOptions<B, Q> = {},
) {
  return (req: Request, { params }: { params: Promise<ParamMap[R]> }) =>
    respond(async () => {
      const { app, ...rest } = (await params) as ParamMap[R] & { app: string; number?: string };
      const ctx = await appContext(req, app, permission);
      const parsed = { ...rest, ...(rest.number !== undefined ? { number: parseBuildNumber(rest.number) } : {}) } as TParsedParams<
        ParamMap[R]
      >;
      return handler({ ...ctx, params: parsed, req, ...(await parseInput(req, opts)) });
    }, opts.status ?? 200);
}
