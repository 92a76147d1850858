"use client";
import { useId } from "react";

const TOOL =
  "inline-flex min-h-11 items-center rounded px-2 py-0.5 font-medium text-[#e2e8f0] transition-colors hover:bg-[#1e293b] focus-visible:outline-2 focus-visible:outline-[#60a5fa] sm:min-h-0";
const PRESSED = "bg-[#1e3a8a] text-[#dbeafe] hover:bg-[#1e40af]";

/** The log's bar: line count, search (Enter: next match, Shift+Enter: previous), wrap, follow, download. */
export function LogToolbar(p: {
  count: number;
  loading: boolean;
  live: boolean;
  follow: boolean;
  onFollow: () => void;
  wrap: boolean;
  onWrap: () => void;
  query: string;
  onQuery: (q: string) => void;
  matches: number;
  current: number;
  onNext: () => void;
  onPrevious: () => void;
  downloadHref: string;
  label: string;
}) {
  const id = useId();
  return (
    <div className="flex flex-wrap items-center gap-x-2 gap-y-1 border-b border-[#1e293b] px-3 py-1.5 text-xs text-[#cbd5e1]">
      <span className="mr-auto">
        {p.count.toLocaleString("en")} {p.count === 1 ? "line" : "lines"}
        {p.loading && " · loading…"}
      </span>
      <label htmlFor={`${id}-search`} className="sr-only">
        Search {p.label}
      </label>
      <input
        id={`${id}-search`}
        type="search"
        value={p.query}
        placeholder="Search"
        onChange={(e) => p.onQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== "Enter") return;
          e.preventDefault();
          if (e.shiftKey) p.onPrevious();
          else p.onNext();
        }}
        className="min-h-11 w-36 rounded border border-[#475569] bg-[#0f172a] px-2 py-0.5 text-[#f1f5f9] placeholder:text-[#94a3b8] focus-visible:outline-2 focus-visible:outline-[#60a5fa] sm:min-h-0"
      />
      {p.query.trim() && (
        <>
          <span aria-live="polite" className="tabular-nums" data-testid="log-matches">
            {p.matches ? `${p.current + 1} of ${p.matches}` : "no match"}
          </span>
          <button type="button" className={TOOL} onClick={p.onPrevious} disabled={!p.matches} aria-label="Previous match">
            ↑
          </button>
          <button type="button" className={TOOL} onClick={p.onNext} disabled={!p.matches} aria-label="Next match">
            ↓
          </button>
        </>
      )}
      <button type="button" aria-pressed={p.wrap} onClick={p.onWrap} className={`${TOOL} ${p.wrap ? PRESSED : ""}`}>
        Wrap lines
      </button>
      {p.live && (
        <button type="button" aria-pressed={p.follow} onClick={p.onFollow} className={`${TOOL} ${p.follow ? PRESSED : ""}`}>
          {p.follow ? "Following · stop" : "Follow"}
        </button>
      )}
      <a
        href={p.downloadHref}
        download
        aria-label={`Download the full ${p.label.toLowerCase()}`}
        className={`${TOOL} underline underline-offset-2`}
      >
        Download
      </a>
    </div>
  );
}
