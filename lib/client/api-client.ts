import "client-only";
// Browser-side reads of the GET API. A non-2xx answer becomes an ApiError carrying the API's
// `{ error: { code, message } }`, so the UI can show the message.
const enc = encodeURIComponent;

function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export const apiPaths = {
  apps: () => "/api/apps",
  app: (app: string) => `/api/apps/${enc(app)}`,
  stage: (app: string, stage: string) => `/api/apps/${enc(app)}/stages/${enc(stage)}`,
  stageEvents: (app: string, stage: string) => `/api/apps/${enc(app)}/stages/${enc(stage)}/events`,
  builds: (
    app: string,
    stage: string,
    q: { before?: number | null; limit?: number } & Record<string, string | number | null | undefined> = {},
  ) => withQuery(`/api/apps/${enc(app)}/stages/${enc(stage)}/builds`, q),
  build: (app: string, stage: string, number: number) => `/api/apps/${enc(app)}/stages/${enc(stage)}/builds/${number}`,
  buildEvents: (app: string, stage: string, number: number, after = 0) =>
    withQuery(`${apiPaths.build(app, stage, number)}/events`, { after: after || undefined }),
  rollbackPlan: (app: string, stage: string, number: number, q: { services?: string[] } = {}) =>
    withQuery(`${apiPaths.build(app, stage, number)}/rollback-plan`, { services: q.services?.length ? q.services.join(",") : undefined }),
  promotePlan: (app: string, stage: string, number: number, to: string) =>
    withQuery(`${apiPaths.build(app, stage, number)}/promote-plan`, { to }),
  notifications: (app: string, stage: string) => `${apiPaths.stage(app, stage)}/notifications`,
  deliveries: (app: string, stage: string, id: number) => `${apiPaths.stage(app, stage)}/notifications/${id}/deliveries`,
  logs: (
    app: string,
    stage: string,
    number: number,
    q: { step?: string; after?: number; before?: number; tail?: number; limit?: number } = {},
  ) => withQuery(`${apiPaths.build(app, stage, number)}/logs`, q),
  logDownload: (app: string, stage: string, number: number, q: { step?: string } = {}) =>
    withQuery(`${apiPaths.build(app, stage, number)}/logs/download`, q),
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { signal, headers: { Accept: "application/json" }, cache: "no-store" });
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok) {
    throw new ApiError(res.status, body?.error?.code ?? "http_error", body?.error?.message ?? `Request failed (${res.status}).`);
  }
  return body as T;
}
