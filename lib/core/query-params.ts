import { z } from "zod";

// Query-string numbers. Build numbers and log seqs are PostgreSQL `integer`s: a larger value must be
// a 400 naming the parameter, not a database error.
export const PG_INT_MAX = 2_147_483_647;

export function ZIntParam(min: number, max: number) {
  const error = `must be an integer from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** The query string as the zod schemas read it (a repeated parameter keeps its last value). */
export function queryOf(url: string | URL): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}
