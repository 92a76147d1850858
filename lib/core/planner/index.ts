// The planner (docs/architecture.md, "The planner"): from the stage's live state L and a build's target T, the
// steps of a build, their "must finish before" DAG, phases and warnings, or a refusal that explains
// why no single build can do it. Pure: plain data in, plain data out.
import { isKnownExportValue, type TDeployAction as TStepAction, type TServiceMap, type TServiceState } from "../domain";
import type { TContext, TPlan, TPlanError, TPlanInput, TPlannedStep, TPlanResult, TPlanWarning, TState, TStuck } from "./types";

export type * from "./types";
import { NameIndex, adjacencyFromKeys, findCycle, longestPathPhases, resolveConflicts, topoOrder, type TAdjacency } from "./graph";
import {
  NO_EXPORTS,
  compare,
  cycleError,
  dependencyChanges,
  disabledExport,
  dependencyWhy,
  has,
  listNames,
  stuckError,
  unknownDependency,
  valueMayChange,
} from "./messages";

type TDropped = [from: number, to: number, path: number[]];

const own = (map: TServiceMap, name: string): TState => (Object.hasOwn(map, name) ? map[name] : undefined);
const fail = (error: TPlanError): TPlanResult => ({ ok: false, error });

function stepAction(live: TState, target: TState, rollback: boolean): TStepAction | null {
  if (target) return !live ? "create" : live.artifact === target.artifact ? "unchanged" : "update";
  return live && rollback ? "remove" : null;
}

/** Who exports and who imports each export name, in L and in W: kinds of a NameIndex. */
const EXPORTERS_L = 0;
const IMPORTERS_L = 1;
const EXPORTERS_W = 2;
const IMPORTERS_W = 3;

function exportIndex(L: TState[], W: TState[]): NameIndex {
  const who = new NameIndex(4);
  const note = (state: TServiceState, i: number, exporters: number, importers: number) => {
    for (const name in state.exports) if (has(state.exports, name)) who.add(exporters, name, i);
    for (let k = 0; k < state.imports.length; k++) who.add(importers, state.imports[k]!, i);
  };
  for (let i = 0; i < L.length; i++) {
    if (L[i]) note(L[i]!, i, EXPORTERS_L, IMPORTERS_L);
    if (W[i]) note(W[i]!, i, EXPORTERS_W, IMPORTERS_W);
  }
  return who;
}

// Each phase is its own function: besides reading better, a rarely taken branch that makes V8
// deoptimize then only costs that function, not the whole plan (measured on the bench).
export function planBuild(input: TPlanInput): TPlanResult {
  const rollback = input.kind === "rollback" || input.kind === "remove";
  const names = Object.keys(input.live);
  for (const name of Object.keys(input.target)) if (!Object.hasOwn(input.live, name)) names.push(name);
  names.sort();
  const L = names.map((name) => own(input.live, name));
  const T = names.map((name) => own(input.target, name));
  const W = names.map((_, i) => T[i] ?? (rollback ? undefined : L[i]));
  const action = names.map((_, i) => stepAction(L[i], T[i], rollback));
  const index = new Map(names.map((name, i) => [name, i]));
  const ctx: TContext = { rollback, names, index, L, T, W, action, who: exportIndex(L, W) };

  const depends = dependencyGraph(ctx);
  if ("code" in depends) return fail(depends);
  const required = requiredEdges(ctx);
  if ("code" in required) return fail(required);
  const requiredSucc = adjacencyFromKeys(names.length, required.edges.keys());
  const requiredCycle = findCycle(requiredSucc);
  if (requiredCycle) {
    const why = (u: number, v: number) => required.edges.get(u * names.length + v)!;
    return fail(cycleError("cycle", requiredCycle, names, why, "no order satisfies AWS", "; split this into two builds"));
  }
  // One Kahn pass proves the common case acyclic; Tarjan runs only to name a cycle. A cycle only
  // among services outside a deploy's manifest is old news: this build cannot fix it.
  const dependsOrder = topoOrder(depends);
  const dependsCycle = dependsOrder ? null : findCycle(depends, (i) => action[i] !== null);
  if (dependsCycle) {
    const why = (s: number, p: number) => dependencyWhy(rollback ? L : W, s, p, names);
    return fail(cycleError("dependency-cycle", dependsCycle, names, why, "services depend on each other in a cycle"));
  }
  const { succ, order, dropped } = orderGraph(ctx, required.edges, requiredSucc, depends, dependsOrder);
  const warnings = [
    ...required.inUse,
    ...droppedWarnings(ctx, required.edges, dropped),
    ...dependencyChanges(ctx, input.targetLabel ?? "the target release"),
  ];
  return { ok: true, plan: { steps: plannedSteps(ctx, succ, order), warnings } };
}

/**
 * "s depends on p" as an edge s -> p, in the map default edges follow: W for a deploy, L for a
 * rollback (the state being undone). Refuses a dependsOn on a service that exists nowhere.
 */
function dependencyGraph({ rollback, names, index, L, T, W, who }: TContext): TAdjacency | TPlanError {
  const n = names.length;
  const M = rollback ? L : W;
  const exporters = rollback ? EXPORTERS_L : EXPORTERS_W;
  const succ: TAdjacency = Array.from({ length: n }, () => []);
  const lastAdder = new Int32Array(n).fill(-1); // de-duplicates s's list without a Set per service
  let unknownSeen = false;
  for (let s = 0; s < n; s++) {
    const state = M[s];
    if (!state) continue;
    const list = succ[s]!;
    for (let k = 0; k < state.dependsOn.length; k++) {
      const p = index.get(state.dependsOn[k]!);
      if (p === undefined) unknownSeen = true;
      else if (lastAdder[p] !== s) {
        list.push(p);
        lastAdder[p] = s;
      }
    }
    for (let k = 0; k < state.imports.length; k++) {
      const producers = who.of(exporters, state.imports[k]!);
      for (let j = 0; j < producers.length; j++) {
        const p = producers[j]!;
        if (p !== s && lastAdder[p] !== s) {
          list.push(p);
          lastAdder[p] = s;
        }
      }
    }
  }
  // A rollback's target is not part of M; its dependsOn must name known services all the same.
  for (let s = 0; rollback && !unknownSeen && s < n; s++) unknownSeen = T[s]?.dependsOn.some((d) => !index.has(d)) ?? false;
  return (unknownSeen ? unknownDependency(L, T, names, index, rollback) : null) ?? succ;
}

/**
 * Required edges (R1, R2, and an export moving between services), keyed `u * n + v` with the reason
 * each holds; or the refusal when AWS would stop the build half-way whatever the order.
 */
function requiredEdges(ctx: TContext): { edges: Map<number, string>; inUse: TPlanWarning[] } | TPlanError {
  const { rollback, names, L, T, W, action, who } = ctx;
  const n = names.length;
  const edges = new Map<number, string>();
  const require = (u: number, v: number, why: string) => {
    if (!edges.has(u * n + v)) edges.set(u * n + v, why);
  };
  const stuck: TStuck[] = [];
  const mayChange: TPlanWarning[] = [];
  const duplicates: TPlanError[] = [];
  const inUse: TPlanWarning[] = [];
  const adds = rollback ? "re-adds" : "adds";
  for (let p = 0; p < n; p++) {
    const lp = L[p];
    const wp = W[p];
    if (action[p] === null || action[p] === "unchanged") continue;
    for (const name of Object.keys(lp?.exports ?? NO_EXPORTS)) {
      const dropped = !wp || !has(wp.exports, name);
      const [before, after] = [lp!.exports[name]!, dropped ? "" : wp.exports[name]!];
      if (!dropped && after === before) continue;
      // Different texts of values only AWS knows may still be one value: AWS is the judge.
      const uncertain = !dropped && !(isKnownExportValue(before) && isKnownExportValue(after));
      const disabledBy = dropped ? wp?.disabledExports?.[name] : undefined;
      const verb = dropped ? (wp ? "drops" : "is removed, dropping") : uncertain ? "may change the value of" : "changes the value of";
      // AWS refuses to delete or change an export while any stack imports it: those consumers
      // must stop importing first (R2), and if they never stop, no single build can do it.
      // A consumer new to the export is fine only if another service takes the export over.
      const takenOver = who.of(EXPORTERS_W, name).length > 0;
      const stillImporting = who.of(IMPORTERS_W, name).filter((s) => s !== p && (!dropped || !takenOver || L[s]?.imports.includes(name)));
      if (stillImporting.length > 0 && uncertain) {
        mayChange.push(valueMayChange(p, name, stillImporting, names));
      } else if (stillImporting.length > 0) {
        const why = disabledBy ? ` (its condition ${disabledBy} is false for this stage)` : "";
        const note = dropped ? "" : " (AWS refuses to update an export while it is imported)";
        const clause = `${verb} export ${name}${why}, still imported by ${listNames(stillImporting, names)}${note}`;
        stuck.push({ producer: p, exportName: name, clause, consumers: stillImporting });
        continue;
      }
      const consumers = who.of(IMPORTERS_L, name).filter((s) => s !== p && !stillImporting.includes(s));
      for (const s of consumers) require(s, p, `${names[p]} ${verb} export ${name} that ${names[s]} imports`);
      if (consumers.length === 0) continue;
      const first = listNames(consumers, names);
      inUse.push({
        code: "export-in-use",
        message: `${names[p]} ${verb} export ${name}, imported by ${first} in the live state: ${first} ${consumers.length > 1 ? "go" : "goes"} first`,
        services: [names[p]!].concat(consumers.map((s) => names[s]!)),
        exports: [name],
      });
    }
    for (const name of Object.keys(wp?.exports ?? NO_EXPORTS)) {
      if (lp && has(lp.exports, name)) continue;
      const others = who.of(EXPORTERS_W, name).filter((q) => q !== p);
      if (others.length > 0) {
        duplicates.push({
          code: "duplicate-export",
          message: `${names[p]} ${adds} export ${name}, which ${listNames(others, names)} still exports: export names are unique per account and region`,
          services: [names[p]!].concat(others.map((q) => names[q]!)),
          exports: [name],
        });
      }
      // An export moving between services: the old owner must let go before the new one claims it.
      for (const q of who.of(EXPORTERS_L, name)) {
        if (q !== p) require(q, p, `${names[q]} drops export ${name} that ${names[p]} takes over`);
      }
      // R1: an export must exist before a step that imports it runs.
      for (const s of who.of(IMPORTERS_W, name)) {
        if (s !== p && T[s]) require(p, s, `${names[p]} ${adds} export ${name} that ${names[s]} imports`);
      }
    }
  }
  if (stuck.length > 0) return stuckError(stuck, names);
  const missing = missingExport(ctx);
  if (missing) return missing;
  // Object key order is the caller's; messages must not depend on it.
  const byFirstThenExport = (a: TPlanWarning, b: TPlanWarning) =>
    compare(a.services[0]!, b.services[0]!) || compare(a.exports![0]!, b.exports![0]!);
  if (duplicates.length > 0) return duplicates.sort(byFirstThenExport)[0]!;
  return { edges, inUse: inUse.concat(mayChange).sort(byFirstThenExport) };
}

/**
 * An import that no other service will export fails on AWS ("No export named X found"). Names the
 * app never exported may belong to stacks outside it, so only names it knows are checked: those
 * exported now or after the build, and those a producer exports only under a condition that is
 * false for this stage (named in the refusal, since that is the surprise).
 */
function missingExport({ names, T, W, action, who }: TContext): TPlanError | null {
  const disabled = disabledExporters(W);
  for (let s = 0; s < names.length; s++) {
    const target = T[s];
    if (!target || action[s] === "unchanged") continue;
    let missing: string | undefined;
    for (const name of target.imports) {
      const owners = who.of(EXPORTERS_W, name);
      if (owners.some((p) => p !== s)) continue;
      if (owners.length === 0 && who.of(EXPORTERS_L, name).length === 0 && !disabled?.has(name)) continue;
      if (missing === undefined || name < missing) missing = name;
    }
    if (missing === undefined) continue;
    const off = disabled?.get(missing)?.find(([p]) => p !== s);
    if (off) return disabledExport(s, missing, off[0], off[1], names);
    return {
      code: "missing-export",
      message: `${names[s]} imports ${missing}, which no other service exports after this build`,
      services: [names[s]!],
      exports: [missing],
    };
  }
  return null;
}

/** Export name -> [service, condition] of the services whose template disables it for this stage. */
function disabledExporters(W: TState[]): Map<string, [number, string][]> | null {
  let out: Map<string, [number, string][]> | null = null;
  for (let p = 0; p < W.length; p++) {
    const off = W[p]?.disabledExports;
    if (!off) continue;
    out ??= new Map();
    for (const name of Object.keys(off)) {
      if (!out.has(name)) out.set(name, []);
      out.get(name)!.push([p, off[name]!]);
    }
  }
  return out;
}

/**
 * Required plus default edges (D1 producers first for a deploy, D2 the reverse of the deployment
 * for a rollback), minus the default edges that would close a cycle, and a topological order.
 */
function orderGraph(
  { rollback, names, action }: TContext,
  required: Map<number, string>,
  requiredSucc: TAdjacency,
  depends: TAdjacency,
  dependsOrder: number[] | null,
): { succ: TAdjacency; order: number[]; dropped: TDropped[] } {
  const n = names.length;
  const succ = requiredSucc.map((list) => list.slice());
  const defaults: number[] = [];
  for (let s = 0; s < n; s++) {
    if (action[s] === null) continue;
    for (let k = 0; k < depends[s]!.length; k++) {
      const p = depends[s]![k]!;
      if (action[p] === null) continue;
      const u = rollback ? s : p;
      const v = rollback ? p : s;
      if (required.has(u * n + v)) continue;
      succ[u]!.push(v);
      defaults.push(u * n + v);
    }
  }
  const order = topoOrder(succ);
  if (order) return { succ, order, dropped: [] };
  // D2 runs along the dependency edges, D1 against them: either way their order gives a rank.
  const defaultOrder = dependsOrder && (rollback ? dependsOrder : dependsOrder.slice().reverse());
  const dropped = resolveConflicts(n, requiredSucc, succ, defaults, defaultOrder);
  for (const [u, v] of dropped) succ[u] = succ[u]!.filter((w) => w !== v);
  return { succ, order: topoOrder(succ)!, dropped };
}

function droppedWarnings({ rollback, names }: TContext, required: Map<number, string>, dropped: TDropped[]): TPlanWarning[] {
  const n = names.length;
  const orderName = rollback ? "reverse order" : "producers-first order";
  return dropped.map(([u, v, path]) => {
    const hops = path.slice(1).map((w, k) => required.get(path[k]! * n + w) ?? `${names[path[k]!]} goes before ${names[w]} by default`);
    const why =
      path.length === 2
        ? `${hops[0]}: ${names[v]} must go first`
        : `${names[v]} must go before ${names[u]}: ${path.map((i) => names[i]!).join(" -> ")} (${hops.join("; ")})`;
    return { code: "edge-dropped", message: `${why}, against the usual ${orderName}`, services: [names[v]!, names[u]!] };
  });
}

function plannedSteps({ names, T, action }: TContext, succ: TAdjacency, order: number[]): TPlannedStep[] {
  const n = names.length;
  const phase = longestPathPhases(succ, order);
  const preds: number[][] = Array.from({ length: n }, () => []);
  for (let u = 0; u < n; u++) for (let k = 0; k < succ[u]!.length; k++) preds[succ[u]![k]!]!.push(u); // ascending by construction
  // Run order, by phase then name: a bucket per phase, filled in name order.
  const buckets: number[][] = [];
  for (let i = 0; i < n; i++) if (action[i] !== null) (buckets[phase[i]! - 1] ??= []).push(i);
  return buckets.flat().map((i) => ({
    service: names[i]!,
    action: action[i]!,
    artifact: T[i]?.artifact ?? null,
    after: preds[i]!.map((u) => names[u]!),
    phase: phase[i]!,
  }));
}

/** "1. notify-job  2. billing-api": the steps that act, in run order (unchanged ones omitted). */
export function formatPlanOrder(plan: TPlan): string {
  return plan.steps
    .filter((step) => step.action !== "unchanged")
    .map((step, k) => `${k + 1}. ${step.service}`)
    .join("  ");
}
