import "server-only";
import { NextResponse } from "next/server";
import { type z, ZodError } from "zod";
import type { AppRouteHandlerRoutes, ParamMap } from "@/.next/types/routes";
import { AppError } from "@/lib/core/errors";
import { queryOf } from "@/lib/core/query-params";
import { findNul, formatBytes, isJsonContentType, jsonDepth, MAX_JSON_DEPTH } from "@/lib/core/json-body";
import type { TPermission } from "@/lib/core/roles";
import { appContext, routeActor, type TActor, type TAppContext } from "@/lib/server/auth/authz";
import { parseBuildNumber } from "@/lib/server/data/lookup";
import { connectionErrorLine, DATABASE_UNAVAILABLE, isConnectionError } from "@/lib/server/db-retry";
import { withServerTiming } from "@/lib/server/timing";

// The two shapes of a route handler: `withActor` for routes outside an app, `withApp` for routes
// under /api/apps/{app}. Both authenticate once, parse the body and query once with the route's
// zod schemas, and turn what the handler throws into the API's `{ error: { code, message } }`:
// an AppError into its status, a zod failure into a 400 naming the field, a database outage into a
// 503 to try again, anything else into a logged, generic 500. Route params come typed from Next's own route types (`next typegen`).

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
  if (isConnectionError(e)) {
    console.error(connectionErrorLine(e));
    return NextResponse.json(
      { error: { code: "unavailable", message: DATABASE_UNAVAILABLE } },
      { status: 503, headers: { "retry-after": "5" } },
    );
  }
  console.error("[sprout] unexpected error", e);
  return NextResponse.json(
    { error: { code: "internal", message: "Something went wrong on the server; it has been logged." } },
    { status: 500 },
  );
}

/**
 * A handler's answer: JSON with `status`, or a Response it built itself (SSE, a status that depends
 * on the outcome); with Server-Timing (its database time and its total).
 */
function respond(fn: () => Promise<unknown>, status: number): Promise<Response> {
  return withServerTiming(async () => {
    try {
      const body = await fn();
      if (body instanceof Response) return body;
      return NextResponse.json(body, { status, headers: { "Cache-Control": "no-store" } });
    } catch (e) {
      return errorResponse(e);
    }
  });
}

/** A JSON body's size limit unless the route sets its own (a deploy's manifest carries templates). */
export const DEFAULT_BODY_LIMIT = 100 * 1024;

/**
 * The JSON body, or a 4xx naming what is wrong: not sent as application/json (415), larger than
 * `maxBytes` (413, counted while reading: a huge body is not buffered whole), nested deeper than
 * MAX_JSON_DEPTH, not JSON, or holding a NUL character (400, naming the field).
 */
export async function readJson(req: Request, maxBytes = DEFAULT_BODY_LIMIT): Promise<unknown> {
  checkJsonContentType(req);
  return parseJsonText(await readText(req, maxBytes));
}

/**
 * A body that may be absent (scripts POST without one): `{}` when empty or blank, else read as
 * readJson reads it (415, 413, depth, NUL).
 */
export async function readOptionalJson(req: Request, maxBytes = DEFAULT_BODY_LIMIT): Promise<unknown> {
  const text = await readText(req, maxBytes);
  if (!text.trim()) return {};
  checkJsonContentType(req);
  return parseJsonText(text);
}

function checkJsonContentType(req: Request): void {
  if (!isJsonContentType(req.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", "The request body must be JSON sent with Content-Type: application/json.");
  }
}

function parseJsonText(text: string): unknown {
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    throw new AppError("bad_request", `The request body nests arrays and objects ${depth} levels deep; the limit is ${MAX_JSON_DEPTH}.`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new AppError("bad_request", `The request body is not valid JSON (${(e as Error).message}).`);
  }
  const nul = findNul(body);
  if (nul) throw new AppError("bad_request", `${nul}: must not contain a NUL character (\\u0000).`);
  return body;
}

/** The raw body, read up to `maxBytes` (413 past it, without buffering the rest): webhooks verify these bytes. */
export async function readBytes(req: Request, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new AppError("payload_too_large", `The request body is larger than ${formatBytes(maxBytes)}, the limit of this endpoint.`);
  if (Number(req.headers.get("content-length")) > maxBytes) throw tooLarge();
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

async function readText(req: Request, maxBytes: number): Promise<string> {
  const bytes = await readBytes(req, maxBytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("bad_request", "The request body is not valid UTF-8 text.");
  }
}

/** A route's params but `app` (the context has the app itself); `number` is a build number, parsed once here (a 404 when it names no build). */
type TParsedParams<P> = { [K in Exclude<keyof P, "app">]: K extends "number" ? number : P[K] };

interface TRouteOptions<B, Q> {
  /** the JSON body's schema: the handler gets the parsed body */
  body?: z.ZodType<B>;
  /** the body may be absent or blank, and is then read as `{}` (scripts POST without one) */
  optionalBody?: boolean;
  /** the query string's schema */
  query?: z.ZodType<Q>;
  /** the JSON body's size limit in bytes (default DEFAULT_BODY_LIMIT) */
  maxBytes?: number;
  /** the status of a successful answer (default 200) */
  status?: number;
}

type TInput<B, Q> = { req: Request; body: B; query: Q };

async function parseInput<B, Q>(req: Request, opts: TRouteOptions<B, Q>): Promise<{ body: B; query: Q }> {
  const read = opts.optionalBody ? readOptionalJson : readJson;
  const body = opts.body ? opts.body.parse(await read(req, opts.maxBytes)) : (undefined as B);
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
