import { z } from "zod";
import { BUILD_KINDS, BUILD_STATUSES, type TBuildKind, type TBuildStatus } from "./domain";

// The stage history's filters: what the page's URL holds and what GET …/builds takes, in one
// schema. Lists are comma-separated (`status=failed,canceled`); dates are YYYY-MM-DD (a whole UTC
// day, `to` included) or ISO times.

const list = <T extends string>(values: readonly T[], what: string) =>
  z.string().transform((s, ctx) => {
    const items = [
      ...new Set(
        s
          .split(",")
          .map((v) => v.trim())
          .filter(Boolean),
      ),
    ];
    const bad = items.find((v) => !values.includes(v as T));
    if (bad !== undefined) {
      ctx.addIssue({ code: "custom", message: `"${bad}" is not a ${what}; use ${values.join(", ")} (comma-separated)` });
      return z.NEVER;
    }
    return items.length ? (items as T[]) : undefined;
  });

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const moment = (name: string) =>
  z
    .string()
    .trim()
    .refine((s) => !Number.isNaN(Date.parse(s)) && (DAY.test(s) || s.includes("T")), {
      error: `must be a date (YYYY-MM-DD) or an ISO time (${name === "from" ? "2026-01-31" : "2026-01-31T18:00:00Z"})`,
    });

export const ZHistoryFilters = z.object({
  status: list<TBuildStatus>(BUILD_STATUSES, "build status").optional(),
  kind: list<TBuildKind>(BUILD_KINDS, "build kind").optional(),
  /** text in the commit's author or in who queued the build ("jay", "token:ci") */
  author: z.string().trim().max(100, "must be at most 100 characters").optional(),
  /** text in the commit message, or the start of its sha (4 or more hex digits) */
  q: z.string().trim().max(200, "must be at most 200 characters").optional(),
  /** a service the build has a step for */
  service: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be a service name (lowercase letters, digits and dashes)")
    .optional(),
  from: moment("from").optional(),
  to: moment("to").optional(),
});
export type THistoryFilters = z.output<typeof ZHistoryFilters>;

const FILTER_KEYS = ["status", "kind", "author", "q", "service", "from", "to"] as const;

/** The filters as query parameters (empty ones left out), in a fixed order: the page's URL and the API's. */
export function filterParams(f: THistoryFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = f[k];
    if (Array.isArray(v) ? v.length : v) out[k] = Array.isArray(v) ? v.join(",") : (v as string);
  }
  return out;
}

/** Filters read from a URL's parameters; an unreadable one is left out rather than failing the page. */
export function filtersFromParams(params: Record<string, string | string[] | undefined>): THistoryFilters {
  const out: THistoryFilters = {};
  for (const k of FILTER_KEYS) {
    const raw = params[k];
    const value = Array.isArray(raw) ? raw.at(-1) : raw;
    if (!value) continue;
    const parsed = ZHistoryFilters.shape[k].safeParse(value);
    if (parsed.success && parsed.data !== undefined && parsed.data !== "") Object.assign(out, { [k]: parsed.data });
  }
  return out;
}

export const hasFilters = (f: THistoryFilters) => Object.keys(filterParams(f)).length > 0;

/** The range's bounds as times: a day's `to` reaches the end of that day (UTC). */
export function dateBounds(f: Pick<THistoryFilters, "from" | "to">): { from: Date | null; before: Date | null } {
  const from = f.from ? new Date(DAY.test(f.from) ? `${f.from}T00:00:00Z` : f.from) : null;
  let before: Date | null = null;
  if (f.to) {
    before = new Date(DAY.test(f.to) ? `${f.to}T00:00:00Z` : f.to);
    if (DAY.test(f.to)) before = new Date(before.getTime() + 86_400_000);
  }
  return { from, before };
}

/** `%`, `_` and `\` match themselves in the ILIKE pattern built from the user's text. */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
