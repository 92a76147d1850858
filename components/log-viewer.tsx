"use client";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { ansiSpans } from "@/lib/client/ansi";
import { errorLineIndex, matchingLines, type TLogLine } from "@/lib/core/log-lines";
import { LogToolbar } from "./log-toolbar";

const ROW_H = 20;
const MAX_H = 440;

export interface TLogJump {
  /** the step's error: the viewer scrolls to the line that reports it */
  error: string;
  /** a new value asks again (the same error, jumped to twice) */
  nonce: number;
}

/**
 * A step's log: monospace, ANSI colours, only the rows on screen rendered (50,000 lines scroll as
 * smoothly as 50), with search, line wrapping and a link to the whole log as a file. A long log
 * holds its tail: `earlier` lines come before the first one held, read page by page when the reader
 * scrolls to the top (search covers the lines held). While the step runs it can follow the newest
 * line; following stops when the step ends or the reader scrolls up. Its lines are not announced to
 * screen readers (the build's outcome is, elsewhere). Colours are fixed, light on dark, in both
 * colour schemes.
 */
export function LogViewer({
  lines,
  loading,
  live,
  label,
  downloadHref,
  jump,
  earlier = 0,
  onLoadEarlier,
  loadingEarlier = false,
}: {
  lines: TLogLine[];
  loading: boolean;
  live: boolean;
  label: string;
  downloadHref: string;
  jump?: TLogJump | null;
  earlier?: number;
  onLoadEarlier?: () => void;
  loadingEarlier?: boolean;
}) {
  const [follow, setFollow] = useState(live);
  const [wrap, setWrap] = useState(false);
  const [query, setQuery] = useState("");
  const [current, setCurrent] = useState(0);
  const [marked, setMarked] = useState<number | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const matches = useMemo(() => matchingLines(lines, query), [lines, query]);
  const matchSet = useMemo(() => new Set(matches), [matches]);
  // TanStack Virtual hands out new functions on every render; nothing here memoizes on them
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 30,
  });

  // the step ended: nothing more will come, so there is nothing to follow
  const [wasLive, setWasLive] = useState(live);
  if (wasLive !== live) {
    setWasLive(live);
    if (!live) setFollow(false);
  }

  useEffect(() => {
    if (follow && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: "end" });
  }, [follow, lines.length, virtualizer]);

  useEffect(() => {
    virtualizer.measure();
  }, [wrap, virtualizer]);

  // earlier lines were put before the ones on screen: keep those where they were
  const firstSeq = lines[0]?.seq;
  const shown = useRef({ firstSeq, count: lines.length });
  useLayoutEffect(() => {
    const before = shown.current;
    shown.current = { firstSeq, count: lines.length };
    if (before.firstSeq === undefined || firstSeq === undefined || firstSeq >= before.firstSeq || !scrollRef.current) return;
    const added = lines.findIndex((l) => l.seq === before.firstSeq);
    if (added > 0) scrollRef.current.scrollTop += added * ROW_H;
  }, [firstSeq, lines]);

  const jumpNonce = jump?.nonce;
  const jumpError = jump?.error;
  const jumpable = lines.length > 0 && !loading;
  useEffect(() => {
    if (jumpNonce === undefined || jumpError === undefined || !jumpable) return;
    const index = errorLineIndex(lines, jumpError);
    setFollow(false);
    setMarked(index);
    virtualizer.scrollToIndex(index, { align: "center" });
    scrollRef.current?.focus({ preventScroll: true });
    // a jump is asked for by its nonce; later lines do not move the view again
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jumpNonce, jumpError, jumpable]);

  const goTo = (k: number) => {
    if (matches.length === 0) return;
    const next = ((k % matches.length) + matches.length) % matches.length;
    setCurrent(next);
    setFollow(false);
    virtualizer.scrollToIndex(matches[next]!, { align: "center" });
  };

  const gutter = String(earlier + lines.length).length;
  const currentLine = matches.length ? matches[Math.min(current, matches.length - 1)] : undefined;
  return (
    <div className="overflow-hidden rounded-lg border border-[#1e293b] bg-[#020617]">
      <LogToolbar
        count={earlier + lines.length}
        loading={loading}
        live={live}
        follow={follow}
        onFollow={() => setFollow((f) => !f)}
        wrap={wrap}
        onWrap={() => setWrap((w) => !w)}
        query={query}
        onQuery={(q) => {
          setQuery(q);
          setCurrent(0);
        }}
        matches={matches.length}
        current={Math.min(current, Math.max(matches.length - 1, 0))}
        onNext={() => goTo(current + 1)}
        onPrevious={() => goTo(current - 1)}
        downloadHref={downloadHref}
        label={label}
      />
      {lines.length === 0 ? (
        <p className="px-4 py-3 font-mono text-xs text-[#cbd5e1]">
          {loading ? "Loading the log…" : live ? "Waiting for output…" : "No output."}
        </p>
      ) : (
        <div
          ref={scrollRef}
          role="log"
          aria-live="off"
          aria-label={label}
          tabIndex={0}
          // scrolling up by hand means reading: stop following until asked again
          onWheel={(e) => e.deltaY < 0 && follow && setFollow(false)}
          onScroll={(e) => {
            if (e.currentTarget.scrollTop < ROW_H * 5 && earlier > 0 && !loadingEarlier) onLoadEarlier?.();
          }}
          className="overflow-auto font-mono text-xs leading-5 text-[#e2e8f0] focus-visible:outline-2 focus-visible:outline-[#60a5fa]"
          style={{ height: Math.min(MAX_H, virtualizer.getTotalSize() + 8) }}
        >
          {earlier > 0 && (
            <button
              type="button"
              onClick={onLoadEarlier}
              disabled={loadingEarlier}
              className="sticky top-0 z-10 block w-full bg-[#0f172a] px-3 py-1 text-left text-[#93c5fd] underline underline-offset-2 hover:bg-[#1e293b] focus-visible:outline-2 focus-visible:outline-[#60a5fa]"
            >
              {loadingEarlier
                ? "Loading earlier lines…"
                : `${earlier.toLocaleString("en")} earlier ${earlier === 1 ? "line" : "lines"}: scroll up or click to read them (search covers the lines shown)`}
            </button>
          )}
          <div className="relative" style={{ height: virtualizer.getTotalSize() + 8 }}>
            {virtualizer.getVirtualItems().map((row) => {
              const line = lines[row.index]!;
              const hit = matchSet.has(row.index);
              return (
                <div
                  key={line.seq}
                  ref={virtualizer.measureElement}
                  data-index={row.index}
                  data-seq={line.seq}
                  data-marked={marked === row.index || undefined}
                  className={`absolute top-1 left-0 flex min-w-full hover:bg-white/5 ${wrap ? "whitespace-pre-wrap" : "whitespace-pre"} ${
                    marked === row.index ? "bg-[#7f1d1d]/60" : currentLine === row.index ? "bg-[#854d0e]/70" : hit ? "bg-[#854d0e]/35" : ""
                  }`}
                  style={{ transform: `translateY(${row.start}px)`, minHeight: ROW_H }}
                >
                  <span
                    className="sticky left-0 shrink-0 bg-[#020617] pr-3 pl-3 text-right text-[#94a3b8] select-none"
                    style={{ width: `${gutter + 3}ch` }}
                  >
                    {earlier + row.index + 1}
                  </span>
                  <span className={`pr-4 ${wrap ? "min-w-0 break-all" : ""}`}>
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
