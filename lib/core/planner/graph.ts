// Index-based digraph algorithms for the planner. The planner numbers nodes in name order and keeps
// every adjacency list sorted, so "smallest index first" means "sorted by name": results are
// deterministic without comparing strings here. Hot loops are indexed: `for...of` allocated an
// iterator result per element in some of V8's tiers (measured on bench/planner.ts).

export type TAdjacency = number[][];

const NONE: readonly never[] = [];

/**
 * Lists of nodes keyed by (name, kind), e.g. who exports and who imports an export name. Names are
 * interned to numbers once and the lists sit in one dense array, so a lookup is one hash and one
 * array read (an array per kind indexed by id went sparse, into slow dictionary mode). Nodes must
 * be added in ascending order.
 */
export class NameIndex {
  private readonly ids = new Map<string, number>();
  private readonly lists: (number[] | undefined)[] = [];

  constructor(private readonly kinds: number) {}

  /** The nodes listed under `name` for `kind`, ascending. */
  of(kind: number, name: string): readonly number[] {
    const id = this.ids.get(name);
    return (id === undefined ? undefined : this.lists[id * this.kinds + kind]) ?? NONE;
  }

  add(kind: number, name: string, node: number) {
    let id = this.ids.get(name);
    if (id === undefined) {
      this.ids.set(name, (id = this.ids.size));
      for (let k = 0; k < this.kinds; k++) this.lists.push(undefined);
    }
    (this.lists[id * this.kinds + kind] ??= []).push(node);
  }
}

/** Sorted, de-duplicated adjacency lists from `u * n + v` edge keys. */
export function adjacencyFromKeys(n: number, keys: Iterable<number>): TAdjacency {
  const succ: TAdjacency = Array.from({ length: n }, () => []);
  for (const key of keys) succ[Math.floor(key / n)]!.push(key % n);
  for (const list of succ) if (list.length > 1) list.sort((a, b) => a - b);
  return succ;
}

/** Kahn's algorithm: a topological order of all nodes, or null when a cycle remains. */
export function topoOrder(succ: TAdjacency): number[] | null {
  const n = succ.length;
  const indegree = new Int32Array(n);
  for (let u = 0; u < n; u++) for (let k = 0; k < succ[u]!.length; k++) indegree[succ[u]![k]!]!++;
  const order: number[] = [];
  for (let u = 0; u < n; u++) if (indegree[u] === 0) order.push(u);
  for (let head = 0; head < order.length; head++) {
    const next = succ[order[head]!]!;
    for (let k = 0; k < next.length; k++) if (--indegree[next[k]!]! === 0) order.push(next[k]!);
  }
  return order.length === n ? order : null;
}

/** Phase = 1 + longest chain of edges leading to the node; one sweep in topological order. */
export function longestPathPhases(succ: TAdjacency, order: number[]): Int32Array {
  const phase = new Int32Array(succ.length).fill(1);
  for (let j = 0; j < order.length; j++) {
    const u = order[j]!;
    const next = phase[u]! + 1;
    for (let k = 0; k < succ[u]!.length; k++) if (phase[succ[u]![k]!]! < next) phase[succ[u]![k]!] = next;
  }
  return phase;
}

/** Tarjan's strongly connected components, iterative (2,000-deep recursion would be fragile). */
export function stronglyConnected(succ: TAdjacency): { comp: Int32Array; size: Int32Array } {
  const n = succ.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const sizes: number[] = [];
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const callNode: number[] = [];
  const callEdge: number[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    callNode.push(root);
    callEdge.push(0);
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (callNode.length > 0) {
      const top = callNode.length - 1;
      const u = callNode[top]!;
      const edges = succ[u]!;
      if (callEdge[top]! < edges.length) {
        const v = edges[callEdge[top]!++]!;
        if (index[v] === -1) {
          index[v] = low[v] = counter++;
          stack.push(v);
          onStack[v] = 1;
          callNode.push(v);
          callEdge.push(0);
        } else if (onStack[v] && index[v]! < low[u]!) low[u] = index[v]!;
        continue;
      }
      callNode.pop();
      callEdge.pop();
      if (callNode.length > 0) {
        const parent = callNode[callNode.length - 1]!;
        if (low[u]! < low[parent]!) low[parent] = low[u]!;
      }
      if (low[u] === index[u]) {
        const id = sizes.length;
        let count = 0;
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = id;
          count++;
        } while (w !== u);
        sizes.push(count);
      }
    }
  }
  return { comp, size: Int32Array.from(sizes) };
}

/**
 * Breadth-first search with reusable scratch arrays: the planner asks many small "does v reach u?"
 * questions while resolving conflicts, and must not allocate O(n) per question.
 */
export class PathFinder {
  private readonly seen: Int32Array;
  private readonly parent: Int32Array;
  private stamp = 0;

  constructor(n: number) {
    this.seen = new Int32Array(n);
    this.parent = new Int32Array(n);
  }

  /**
   * Shortest non-empty path from -> ... -> to in `succ`, through nodes of component `id` only
   * (`comp[node] === id`); neighbours in list order, so ties break by name. Null when none exists.
   */
  path(succ: TAdjacency, from: number, to: number, comp: Int32Array, id: number): number[] | null {
    const { seen, parent } = this;
    const stamp = ++this.stamp;
    const queue = [from];
    if (from !== to) seen[from] = stamp;
    for (let head = 0; head < queue.length; head++) {
      const u = queue[head]!;
      for (let k = 0; k < succ[u]!.length; k++) {
        const v = succ[u]![k]!;
        if (seen[v] === stamp || comp[v] !== id) continue;
        seen[v] = stamp;
        parent[v] = u;
        if (v === to) return unwind(parent, from, to);
        queue.push(v);
      }
    }
    return null;
  }
}

/** The path from -> ... -> to recorded in `parent` by a breadth-first search. */
function unwind(parent: Int32Array, from: number, to: number): number[] {
  const path = [to];
  let v = parent[to]!;
  while (v !== from) {
    path.push(v);
    v = parent[v]!;
  }
  path.push(from);
  return path.reverse();
}

/**
 * A cycle to show the user, as nodes in order (first node not repeated at the end), or null.
 * Only cycles through a node that `relevant` accepts count. Starts at the smallest such node and
 * takes the shortest way back, so the same input always names the same cycle.
 */
export function findCycle(succ: TAdjacency, relevant: (v: number) => boolean = () => true): number[] | null {
  const { comp, size } = stronglyConnected(succ);
  for (let u = 0; u < succ.length; u++) {
    const id = comp[u]!;
    if (!relevant(u) || (size[id]! < 2 && !succ[u]!.includes(u))) continue;
    // Sorted only here, on the way to an error: the common, acyclic case never pays for it.
    const sorted = succ.map((list) => [...list].sort((a, b) => a - b));
    return new PathFinder(succ.length).path(sorted, u, u, comp, id)!.slice(0, -1);
  }
  return null;
}

/** Kahn's algorithm taking, among ready nodes, the one with the lowest `priority` first. */
export function prioritizedTopoOrder(succ: TAdjacency, priority: Int32Array): number[] {
  const n = succ.length;
  const indegree = new Int32Array(n);
  for (let u = 0; u < n; u++) for (let k = 0; k < succ[u]!.length; k++) indegree[succ[u]![k]!]!++;
  const heap: number[] = [];
  const less = (a: number, b: number) => priority[a]! < priority[b]! || (priority[a] === priority[b] && a < b);
  const push = (v: number) => {
    let k = heap.push(v) - 1;
    while (k > 0 && less(v, heap[(k - 1) >> 1]!)) {
      heap[k] = heap[(k - 1) >> 1]!;
      k = (k - 1) >> 1;
    }
    heap[k] = v;
  };
  const pop = () => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length === 0) return top;
    let k = 0;
    for (;;) {
      let child = 2 * k + 1;
      if (child >= heap.length) break;
      if (child + 1 < heap.length && less(heap[child + 1]!, heap[child]!)) child++;
      if (!less(heap[child]!, last)) break;
      heap[k] = heap[child]!;
      k = child;
    }
    heap[k] = last;
    return top;
  };
  for (let u = 0; u < n; u++) if (indegree[u] === 0) push(u);
  const order: number[] = [];
  while (heap.length > 0) {
    const u = pop();
    order.push(u);
    for (let k = 0; k < succ[u]!.length; k++) if (--indegree[succ[u]![k]!]! === 0) push(succ[u]![k]!);
  }
  return order;
}

/**
 * A DAG that keeps a topological order while edges are added (Pearce & Kelly 2006): an edge that
 * agrees with the order costs O(1); otherwise only the nodes between its ends are searched, and an
 * edge that would close a cycle is refused. Checking each edge by a full search instead costs
 * O(V * E) on large conflicted graphs.
 */
export class DynamicDag {
  readonly succ: TAdjacency;
  private readonly pred: TAdjacency;
  /** Node -> position in the current topological order. */
  readonly ord: Int32Array;
  private readonly mark: Int32Array;
  private readonly parent: Int32Array;
  private stamp = 0;

  /** `succ` must be acyclic and `order` one of its topological orders. */
  constructor(succ: TAdjacency, order: number[]) {
    const n = succ.length;
    this.succ = succ.map((list) => [...list]);
    this.pred = Array.from({ length: n }, () => []);
    succ.forEach((list, u) => list.forEach((v) => this.pred[v]!.push(u)));
    this.ord = new Int32Array(n);
    order.forEach((v, k) => (this.ord[v] = k));
    this.mark = new Int32Array(n);
    this.parent = new Int32Array(n);
  }

  /**
   * Adds u -> v and returns null, or, if v already reaches u, leaves the graph as it is and returns
   * a shortest path v -> ... -> u (the reason the edge cannot be added).
   */
  add(u: number, v: number): number[] | null {
    const { ord } = this;
    const lower = ord[v]!;
    const upper = ord[u]!;
    if (upper < lower) return this.link(u, v);
    const stamp = ++this.stamp;
    // Breadth-first, so that a path found to u is a shortest one; any path v -> u stays between
    // the two positions, because the order is topological.
    const forward = [v];
    this.mark[v] = stamp;
    for (let head = 0; head < forward.length; head++) {
      const w = forward[head]!;
      const next = this.succ[w]!;
      for (let k = 0; k < next.length; k++) {
        const x = next[k]!;
        if (x === u) {
          this.parent[x] = w;
          return unwind(this.parent, v, u);
        }
        if (this.mark[x] === stamp || ord[x]! > upper) continue;
        this.mark[x] = stamp;
        this.parent[x] = w;
        forward.push(x);
      }
    }
    const backward = [u];
    this.mark[u] = stamp;
    for (let head = 0; head < backward.length; head++) {
      const prev = this.pred[backward[head]!]!;
      for (let k = 0; k < prev.length; k++) {
        const x = prev[k]!;
        if (this.mark[x] === stamp || ord[x]! < lower) continue;
        this.mark[x] = stamp;
        backward.push(x);
      }
    }
    // Nodes reaching u move before those reached from v, into the positions they held. Keys
    // `position * n + node` sort as numbers (no comparator, no iterator: this runs per conflict).
    const n = ord.length;
    const count = backward.length + forward.length;
    const keys = new Float64Array(count);
    const slots = new Int32Array(count);
    for (let k = 0; k < backward.length; k++) keys[k] = ord[backward[k]!]! * n + backward[k]!;
    for (let k = 0; k < forward.length; k++) keys[backward.length + k] = ord[forward[k]!]! * n + forward[k]!;
    for (let k = 0; k < count; k++) slots[k] = Math.floor(keys[k]! / n);
    keys.subarray(0, backward.length).sort();
    keys.subarray(backward.length).sort();
    slots.sort();
    for (let k = 0; k < count; k++) ord[keys[k]! % n] = slots[k]!;
    return this.link(u, v);
  }

  private link(u: number, v: number): null {
    this.succ[u]!.push(v);
    this.pred[v]!.push(u);
    return null;
  }
}

/**
 * Which default edges to drop so that required plus default edges form a DAG. Only default edges
 * inside a strongly connected component of the union can lie on a cycle; the others stay. Those
 * inside are tried against an order that honours every required edge and follows the default order
 * where it can: edges that agree with it are kept at no cost; each other one is dropped if it closes
 * a cycle with the required edges alone, else added unless it closes one with the edges kept so far
 * (incremental topological order, see DynamicDag). Returns [from, to, the path to -> ... -> from
 * that made it drop], in edge order.
 */
export function resolveConflicts(
  n: number,
  requiredSucc: TAdjacency,
  fullSucc: TAdjacency,
  unsorted: number[],
  defaultOrder: number[] | null,
) {
  const { comp } = stronglyConnected(fullSucc);
  const defaults = Float64Array.from(unsorted.filter((e) => comp[Math.floor(e / n)] === comp[e % n])).sort();
  const rank = new Int32Array(n);
  (defaultOrder ?? topoOrder(adjacencyFromKeys(n, unsorted))!).forEach((v, k) => (rank[v] = k));
  const dag = new DynamicDag(requiredSucc, prioritizedTopoOrder(requiredSucc, rank));
  const against: number[] = [];
  for (const edge of defaults) {
    const u = Math.floor(edge / n);
    const v = edge % n;
    if (dag.ord[u]! < dag.ord[v]!) dag.add(u, v);
    else against.push(edge);
  }
  const finder = new PathFinder(n);
  const dropped: Array<[number, number, number[]]> = [];
  const later: number[] = [];
  for (const edge of against) {
    const u = Math.floor(edge / n);
    const v = edge % n;
    const path = finder.path(requiredSucc, v, u, comp, comp[u]!);
    if (path) dropped.push([u, v, path]);
    else later.push(edge);
  }
  for (const edge of later) {
    const u = Math.floor(edge / n);
    const v = edge % n;
    const path = dag.add(u, v);
    if (path) dropped.push([u, v, path]);
  }
  return dropped.sort((a, b) => a[0] * n + a[1] - (b[0] * n + b[1]));
}
