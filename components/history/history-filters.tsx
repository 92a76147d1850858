"use client";
import { useEffect, useState } from "react";
import { BUILD_KINDS, BUILD_STATUSES } from "@/lib/core/domain";
import { filterParams, type THistoryFilters } from "@/lib/core/history-filters";

const FIELD =
  "min-h-11 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-blue-500 sm:min-h-0";
const LABEL = "flex flex-col gap-0.5 text-xs font-medium text-slate-700";
/** typing settles this long before the URL (and the query) follow */
const TYPING_MS = 300;

/** Text typed into a filter reaches `onChange` once the typing pauses. */
function useSettled(value: string, onSettled: (v: string) => void) {
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    // the URL changed from elsewhere (back button, Clear): the box follows it
    setSeen(value);
    setText(value);
  }
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => onSettled(text), TYPING_MS);
    return () => clearTimeout(t);
  }, [text, value, onSettled]);
  return [text, setText] as const;
}

/**
 * The history's filters: status, kind, author or who queued, text in the commit message or sha,
 * service, and a date range. They live in the page's URL (`onChange` gets the new filters), so a
 * filtered history can be shared and the back button undoes a change.
 */
export function HistoryFilters({ filters, onChange }: { filters: THistoryFilters; onChange: (f: THistoryFilters) => void }) {
  const set = (patch: Partial<THistoryFilters>) => onChange({ ...filters, ...patch });
  const [q, setQ] = useSettled(filters.q ?? "", (v) => set({ q: v.trim() || undefined }));
  const [author, setAuthor] = useSettled(filters.author ?? "", (v) => set({ author: v.trim() || undefined }));
  const [service, setService] = useSettled(filters.service ?? "", (v) => set({ service: v.trim().toLowerCase() || undefined }));
  const active = Object.keys(filterParams(filters)).length;

  return (
    <form
      role="search"
      aria-label="Filter builds"
      className="flex flex-wrap items-end gap-3 border-b border-slate-200 px-5 py-3"
      onSubmit={(e) => e.preventDefault()}
    >
      <label className={`${LABEL} min-w-40 flex-1`}>
        Commit message or sha
        <input type="search" name="q" value={q} onChange={(e) => setQ(e.target.value)} placeholder="fix login, 3fa9c1…" className={FIELD} />
      </label>
      <label className={LABEL}>
        Status
        <select
          name="status"
          value={filters.status?.[0] ?? ""}
          onChange={(e) => set({ status: e.target.value ? [e.target.value as (typeof BUILD_STATUSES)[number]] : undefined })}
          className={FIELD}
        >
          <option value="">Any</option>
          {BUILD_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.replace("_", " ")}
            </option>
          ))}
        </select>
      </label>
      <label className={LABEL}>
        Kind
        <select
          name="kind"
          value={filters.kind?.[0] ?? ""}
          onChange={(e) => set({ kind: e.target.value ? [e.target.value as (typeof BUILD_KINDS)[number]] : undefined })}
          className={FIELD}
        >
          <option value="">Any</option>
          {BUILD_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <label className={`${LABEL} w-36`}>
        Author or actor
        <input
          type="search"
          name="author"
          value={author}
          onChange={(e) => setAuthor(e.target.value)}
          placeholder="jay, token:ci"
          className={FIELD}
        />
      </label>
      <label className={`${LABEL} w-32`}>
        Service
        <input
          type="search"
          name="service"
          value={service}
          onChange={(e) => setService(e.target.value)}
          placeholder="billing-api"
          className={FIELD}
        />
      </label>
      <label className={LABEL}>
        From
        <input
          type="date"
          name="from"
          value={filters.from ?? ""}
          onChange={(e) => set({ from: e.target.value || undefined })}
          className={FIELD}
        />
      </label>
      <label className={LABEL}>
        To
        <input
          type="date"
          name="to"
          value={filters.to ?? ""}
          onChange={(e) => set({ to: e.target.value || undefined })}
          className={FIELD}
        />
      </label>
      {active > 0 && (
        <button
          type="button"
          onClick={() => onChange({})}
          className="min-h-11 text-sm font-medium text-blue-700 underline underline-offset-2 hover:text-blue-900 focus-visible:outline-2 focus-visible:outline-blue-500 sm:min-h-0"
        >
          Clear {active === 1 ? "filter" : `${active} filters`}
        </button>
      )}
    </form>
  );
}
