import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

// Server-Timing for the API: each request handled by withApp/withActor runs in a store that the
// database client (lib/server/db.ts) adds each query's time to; the answer says `db` (the time in
// database queries, summed) and `total` (the handler's own time).

type TTiming = { db: number; queries: number };
const store = new AsyncLocalStorage<TTiming>();

/** Called by the database client around every query. */
export async function timedQuery<T>(run: () => Promise<T>): Promise<T> {
  const t = store.getStore();
  if (!t) return run();
  const t0 = performance.now();
  try {
    return await run();
  } finally {
    t.db += performance.now() - t0;
    t.queries += 1;
  }
}

/** Runs a handler and puts its Server-Timing on its response (when the response lets headers be set). */
export async function withServerTiming(handler: () => Promise<Response>): Promise<Response> {
  const timing: TTiming = { db: 0, queries: 0 };
  const t0 = performance.now();
  const res = await store.run(timing, handler);
  const total = performance.now() - t0;
  try {
    res.headers.set(
      "Server-Timing",
      `db;dur=${timing.db.toFixed(1)};desc="database, ${timing.queries} queries", total;dur=${total.toFixed(1)}`,
    );
  } catch {} // an immutable response keeps its headers
  return res;
}
