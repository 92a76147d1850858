// Log lines arrive from two places (pages of the logs API and the live stream) that may overlap or
// come out of order: merge them by seq, keeping one copy of each.
export interface TLogLine {
  seq: number;
  service: string | null;
  time: string;
  text: string;
}

export function mergeLines<T extends { seq: number }>(existing: readonly T[], incoming: readonly T[]): T[] {
  if (incoming.length === 0) return existing as T[];
  const last = existing.length ? existing[existing.length - 1]!.seq : -Infinity;
  // the usual case, new lines after the known ones in order, stays a plain append
  let ordered = incoming[0]!.seq > last;
  for (let i = 1; ordered && i < incoming.length; i++) ordered = incoming[i]!.seq > incoming[i - 1]!.seq;
  if (ordered) return existing.concat(incoming);
  const bySeq = new Map<number, T>();
  for (const l of existing) bySeq.set(l.seq, l);
  for (const l of incoming) if (!bySeq.has(l.seq)) bySeq.set(l.seq, l);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** A line as text, without its ANSI colours (for search and the downloaded log). */
export const stripAnsi = (text: string) => text.replace(ANSI, "");

/**
 * The line of a step's log that reports its error: the last one whose text holds the error (the
 * worker writes it there, in red), else the last line. -1 for an empty log.
 */
export function errorLineIndex(lines: readonly { text: string }[], error: string): number {
  const needle = error.trim().slice(0, 120);
  for (let i = lines.length - 1; i >= 0; i--) {
    const text = stripAnsi(lines[i]!.text);
    if (needle && (text.includes(needle) || (text.trim().length > 10 && needle.includes(text.trim())))) return i;
  }
  return lines.length - 1;
}

/** Indexes of the lines that contain `query`, ignoring case and colours. */
export function matchingLines(lines: readonly { text: string }[], query: string): number[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) if (stripAnsi(lines[i]!.text).toLowerCase().includes(q)) out.push(i);
  return out;
}
