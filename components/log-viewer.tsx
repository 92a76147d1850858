"use client";
import { useEffect, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { ansiSpans } from "@/lib/client/ansi";
import type { TLogLine } from "@/lib/core/log-lines";

const ROW_H = 20;
const MAX_H = 440;

/**
 * A step's log: monospace, ANSI colours, only the rows on screen rendered (50,000 lines scroll as
 * smoothly as 50). While following, it stays scrolled to the newest line.
 */
export function LogViewer({ lines, loading, live, label }: { lines: TLogLine[]; loading: boolean; live: boolean; label: string }) {
  const [follow, setFollow] = useState(live);
  const scrollRef = useRef<HTMLDivElement>(null);
  // TanStack Virtual hands out new functions on every render; nothing here memoizes on them
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 30,
  });

  useEffect(() => {
    if (follow && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: "end" });
  }, [follow, lines.length, virtualizer]);

  const gutter = String(lines.length).length;
  return (
    <div className="overflow-hidden rounded-lg border border-slate-800 bg-slate-950">
      <div className="flex items-center justify-between gap-2 border-b border-slate-800 px-3 py-1.5 text-xs text-slate-400">
        <span>
          {lines.length.toLocaleString("en")} {lines.length === 1 ? "line" : "lines"}
          {loading && " · loading…"}
        </span>
        <button
          type="button"
          aria-pressed={follow}
          onClick={() => setFollow((f) => !f)}
          className={`rounded px-2 py-0.5 font-medium transition-colors focus-visible:outline-2 focus-visible:outline-blue-400 ${
            follow ? "bg-blue-500/20 text-blue-300 hover:bg-blue-500/30" : "text-slate-300 hover:bg-slate-800"
          }`}
        >
          {follow ? "Following · stop" : "Follow"}
        </button>
      </div>
      {lines.length === 0 ? (
        <p className="px-4 py-3 font-mono text-xs text-slate-500">
          {loading ? "Loading the log…" : live ? "Waiting for output…" : "No output."}
        </p>
      ) : (
        <div
          ref={scrollRef}
          role="log"
          aria-label={label}
          tabIndex={0}
          // scrolling up by hand means reading: stop following until asked again
          onWheel={(e) => e.deltaY < 0 && follow && setFollow(false)}
          className="overflow-auto font-mono text-xs leading-5 text-slate-200 focus-visible:outline-2 focus-visible:outline-blue-400"
          style={{ height: Math.min(MAX_H, lines.length * ROW_H + 8) }}
        >
          <div className="relative" style={{ height: virtualizer.getTotalSize() + 8 }}>
            {virtualizer.getVirtualItems().map((row) => {
              const line = lines[row.index]!;
              return (
                <div
                  key={line.seq}
                  data-seq={line.seq}
                  className="absolute top-1 left-0 flex min-w-full whitespace-pre hover:bg-white/5"
                  style={{ height: ROW_H, transform: `translateY(${row.start}px)` }}
                >
                  <span
                    className="sticky left-0 shrink-0 bg-slate-950 pr-3 pl-3 text-right text-slate-600 select-none"
                    style={{ width: `${gutter + 3}ch` }}
                  >
                    {row.index + 1}
                  </span>
                  <span className="pr-4">
                    {ansiSpans(line.text).map((s, i) => (
                      <span key={i} style={s.style}>
                        {s.text}
                      </span>
                    ))}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}
