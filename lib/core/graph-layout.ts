// Layered layout of the services' dependency graph: a service's column is its dependency depth
// (longest chain of producers before it), so every arrow points right. Pure, for the SVG picture.
export interface TLayoutNode {
  name: string;
  depth: number;
  row: number;
}

export function layoutLayers(names: string[], edges: { from: string; to: string }[]): { nodes: TLayoutNode[]; columns: string[][] } {
  const producers = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const e of edges) if (producers.has(e.to) && producers.has(e.from)) producers.get(e.to)!.push(e.from);

  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (n: string): number => {
    const known = depth.get(n);
    if (known !== undefined) return known;
    if (visiting.has(n)) return 0; // a cycle: the back edge does not push the service further right
    visiting.add(n);
    let d = 0;
    for (const p of producers.get(n)!) d = Math.max(d, depthOf(p) + 1);
    visiting.delete(n);
    depth.set(n, d);
    return d;
  };
  for (const n of names) depthOf(n);

  const columns: string[][] = [];
  for (const n of [...names].sort()) (columns[depth.get(n)!] ??= []).push(n);
  // order each column by where its producers sit (barycentre) so that arrows cross less
  const row = new Map<string, number>();
  columns.forEach((col, d) => {
    if (d > 0) {
      const centre = (n: string) => {
        const rows = producers
          .get(n)!
          .map((p) => row.get(p))
          .filter((r): r is number => r !== undefined);
        return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : Infinity;
      };
      col.sort((a, b) => centre(a) - centre(b) || a.localeCompare(b));
    }
    col.forEach((n, i) => row.set(n, i));
  });
  return { nodes: names.map((n) => ({ name: n, depth: depth.get(n)!, row: row.get(n)! })), columns: columns.map((c) => c ?? []) };
}
