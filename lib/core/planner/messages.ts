// The planner's words: refusals and warnings that name services, exports and cycles, in the
// order a user reads them. Pure helpers of the planner (index.ts).
import type { TPlanError, TPlanWarning, TContext, TState, TStuck } from "./types";

const NONE: readonly never[] = [];
export const NO_EXPORTS: Record<string, string> = {};
export const has = (record: Record<string, string>, key: string) => Object.hasOwn(record, key);
export const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const listNames = (ids: readonly number[], names: string[]) => ids.map((i) => names[i]!).join(", ");

/** A refusal naming a cycle in order, "a -> b -> a", and why each of its edges holds. */
export function cycleError(code: string, cycle: number[], names: string[], why: (u: number, v: number) => string, lead: string, tail = "") {
  const hops = cycle.map((u, k) => why(u, cycle[(k + 1) % cycle.length]!));
  const text = cycle
    .concat(cycle[0]!)
    .map((i) => names[i]!)
    .join(" -> ");
  return { code, message: `${lead}: ${text} (${hops.join("; ")})${tail}`, services: cycle.map((i) => names[i]!) } satisfies TPlanError;
}

/** The first dependsOn, by service then name, on a service neither live nor in the build. */
export function unknownDependency(L: TState[], T: TState[], names: string[], index: Map<string, number>, rollback: boolean) {
  const unknownOf = (state: TState) => {
    let first: string | undefined;
    for (const d of state?.dependsOn ?? NONE) if (!index.has(d) && (first === undefined || d < first)) first = d;
    return first;
  };
  for (let i = 0; i < names.length; i++) {
    const unknown = unknownOf(T[i]) ?? (rollback || !T[i] ? unknownOf(L[i]) : undefined);
    if (unknown === undefined) continue;
    return {
      code: "unknown-dependency",
      message: `${names[i]} depends on ${unknown}, which is neither live nor in this build`,
      services: [names[i]!, unknown],
    } satisfies TPlanError;
  }
  return null;
}

export function dependencyWhy(M: TState[], s: number, p: number, names: string[]): string {
  const state = M[s]!;
  if (state.dependsOn.includes(names[p]!)) return `${names[s]} dependsOn ${names[p]}`;
  const exported = M[p]?.exports ?? NO_EXPORTS;
  const name = state.imports.filter((e) => has(exported, e)).sort()[0];
  return `${names[s]} imports ${name} from ${names[p]}`;
}

export function stuckError(stuck: TStuck[], names: string[]): TPlanError {
  const producer = Math.min(...stuck.map((x) => x.producer));
  const mine = stuck.filter((x) => x.producer === producer).sort((a, b) => compare(a.exportName, b.exportName));
  const consumers = [...new Set(mine.flatMap((x) => x.consumers))].sort((a, b) => a - b);
  const imports = mine.length > 1 ? "those imports" : "the import";
  return {
    code: "export-still-imported",
    message: `${names[producer]} ${mine.map((x) => x.clause).join("; ")}: no single build can do this; first deploy ${listNames(consumers, names)} without ${imports}, then ${names[producer]}`,
    services: [names[producer]!].concat(consumers.map((i) => names[i]!)),
    exports: mine.map((x) => x.exportName),
  };
}

/** export-value-may-change: an imported export's value expression changes in a way only AWS can judge. */
export function valueMayChange(p: number, name: string, consumers: number[], names: string[]): TPlanWarning {
  const who = listNames(consumers, names);
  return {
    code: "export-value-may-change",
    message: `${names[p]} changes the expression of export ${name}, still imported by ${who}; Sprout cannot tell whether its value changes, as it depends on values only AWS knows: AWS is the judge, and if the value changes it refuses ${names[p]}'s update (Export ${name} cannot be updated as it is in use by ${who})`,
    services: [names[p]!].concat(consumers.map((s) => names[s]!)),
    exports: [name],
  };
}

/** export-disabled: a consumer imports what its producer exports only under a condition that is false here. */
export function disabledExport(s: number, name: string, p: number, condition: string, names: string[]): TPlanError {
  return {
    code: "export-disabled",
    message: `${names[s]} imports ${name}, which ${names[p]} exports only when its condition ${condition} is true; it is false for this stage: give this stage the parameter values that make ${condition} true, or deploy ${names[s]} without the import`,
    services: [names[s]!, names[p]!],
    exports: [name],
  };
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, k) => x === b[k]);
/** a \ b, sorted and de-duplicated; lists are short, so a scan beats building Sets. */
const minus = (a: string[], b: string[]) => a.filter((x, k) => !b.includes(x) && a.indexOf(x) === k).sort();

/** dependency-changed: the declared edges of an updated service differ between L and T. */
export function dependencyChanges({ rollback, names, L, T, action }: TContext, label: string): TPlanWarning[] {
  const warnings: TPlanWarning[] = [];
  for (let i = 0; i < names.length; i++) {
    const live = L[i]!;
    const target = T[i]!;
    if (action[i] !== "update" || (sameList(live.imports, target.imports) && sameList(live.dependsOn, target.dependsOn))) continue;
    const [importsNow, importsNext] = [minus(live.imports, target.imports), minus(target.imports, live.imports)];
    const [dependsNow, dependsNext] = [minus(live.dependsOn, target.dependsOn), minus(target.dependsOn, live.dependsOn)];
    const said: string[] = [];
    const say = (items: string[], before: string, after = "") => items.length > 0 && said.push(`${before}${items.join(", ")}${after}`);
    if (rollback) {
      say(importsNow, "imports ", ` now, not in ${label}`);
      say(dependsNow, "depends on ", ` now, not in ${label}`);
      say(importsNext, "imports ", ` in ${label}, not now`);
      say(dependsNext, "depends on ", ` in ${label}, not now`);
    } else {
      say(importsNext, "starts importing ");
      say(importsNow, "stops importing ");
      say(dependsNext, "starts depending on ");
      say(dependsNow, "stops depending on ");
    }
    if (said.length === 0) continue;
    const warning: TPlanWarning = { code: "dependency-changed", message: `${names[i]} ${said.join("; ")}`, services: [names[i]!] };
    const exports = importsNow.concat(importsNext).sort();
    if (exports.length > 0) warning.exports = exports;
    warnings.push(warning);
  }
  return warnings;
}
