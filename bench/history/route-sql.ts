// The SQL the history route runs for one request, for EXPLAIN: the route's own handler is called in
// this process and the statements it sends are recorded at the PostgreSQL driver (pg), so the plans
// shown are those of the route's queries (Prisma's page read, or the filters' numbers query and the
// date range's two single-row reads), not of a copy of them.
import pg from "pg";
import { authHeaders } from "../support";

export type TStatement = { text: string; values: unknown[] };

/** Every statement GET `path` (under /api/apps/bench/stages/prod) sends to the database, in order. */
export async function routeStatements(path: string): Promise<TStatement[]> {
  const { GET } = await import("@/app/api/apps/[app]/stages/[stage]/builds/route");
  const seen: TStatement[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [first, second] = args as [string | { text?: string; values?: unknown[] }, unknown[] | undefined];
    const text = typeof first === "string" ? first : first?.text;
    if (text) seen.push({ text, values: (typeof first === "string" ? second : first.values) ?? [] });
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    const res = await GET(new Request(`http://localhost${path}`, { headers: authHeaders }), {
      params: Promise.resolve({ app: "bench", stage: "prod" }),
    } as never);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  } finally {
    pg.Client.prototype.query = original;
  }
  return seen;
}

/** The statements that choose a page's builds: they read builds and stop at a LIMIT. */
export const pageStatements = (all: TStatement[]) => all.filter((s) => /\bbuilds\b/.test(s.text) && /\bLIMIT\b/i.test(s.text));
