// How many of a set of builds (or steps) ran at the same moment, from their start and end times.

export function maxOverlap(spans: { startedAt: Date | null; finishedAt: Date | null }[]): number {
  const edges = spans.flatMap((b) => [
    { t: b.startedAt!.getTime(), d: 1 },
    { t: b.finishedAt!.getTime(), d: -1 },
  ]);
  edges.sort((a, b) => a.t - b.t || a.d - b.d); // an end and a start at the same ms do not overlap
  let now = 0;
  let max = 0;
  for (const e of edges) max = Math.max(max, (now += e.d));
  return max;
}
