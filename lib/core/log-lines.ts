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
