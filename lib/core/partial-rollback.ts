// A partial rollback (docs/architecture.md, "Rollback"): restore only some services to their
// artifacts in build #N's release, plus the services that must move with them for one pass; every
// other service keeps its live artifact. Pure: the services' states in, the restored set, the new
// release and the reason each extra service moves out, or a refusal naming why no pass exists.
import { isKnownExportValue, type TRelease, type TServiceMap, type TServiceState } from "./domain";
import { planBuild, type TPlan } from "./planner";

export interface TPartialRollbackInput {
  /** the stage's live state, every service */
  live: TServiceMap;
  /** build #N's release, every service */
  release: TServiceMap;
  /** the services the user picked */
  services: string[];
  /** how #N is named in reasons: "#12" */
  label: string;
}

export interface TMovedService {
  service: string;
  /** why it moves with the picked ones: "notify-job imports X, which billing-api #12 does not export" */
  reason: string;
}

export type TPartialRollback =
  | {
      ok: true;
      /** picked and moved, sorted: the services the rollback restores */
      services: string[];
      moved: TMovedService[];
      /** the new release: the live state with those services as they are in #N (absent: removed) */
      target: TRelease;
      plan: TPlan;
    }
  | { ok: false; code: "unknown-service" | "nothing-to-restore" | "no-single-pass"; message: string };

const own = (map: TServiceMap, name: string): TServiceState | undefined => (Object.hasOwn(map, name) ? map[name] : undefined);
const exportsName = (s: TServiceState | undefined, name: string) => s !== undefined && Object.hasOwn(s.exports, name);
const list = (names: string[]) => (names.length < 2 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`);

/** The restored set's closure, the new release and its plan; or why it cannot be one build. */
export function partialRollback({ live, release, services, label }: TPartialRollbackInput): TPartialRollback {
  const all = [...new Set([...Object.keys(live), ...Object.keys(release)])].sort();
  const unknown = services.filter((s) => !all.includes(s));
  if (unknown.length) {
    return {
      ok: false,
      code: "unknown-service",
      message: `${list(unknown)} ${unknown.length > 1 ? "are" : "is"} neither live nor part of ${label}'s release: pick among ${list(all)}.`,
    };
  }
  const restored = new Set(services);
  const moved: TMovedService[] = [];
  const after = (name: string) => (restored.has(name) ? own(release, name) : own(live, name));
  // "billing-api #12", or "billing-api's live artifact": where a service's state after the build comes from
  const asAfter = (name: string) => (restored.has(name) ? `${name} ${label}` : `${name}'s live artifact`);
  // only names the app itself ever exported are checked: others may belong to stacks outside it
  const known = new Set(all.flatMap((s) => [...Object.keys(own(live, s)?.exports ?? {}), ...Object.keys(own(release, s)?.exports ?? {})]));

  /** The first service that must move, with why; null when the restored set is closed. */
  const nextToMove = (): TMovedService | null => {
    for (const c of all) {
      const state = after(c);
      if (!state) continue;
      for (const name of [...state.imports].sort()) {
        if (!known.has(name) || all.some((p) => p !== c && exportsName(after(p), name))) continue;
        if (!restored.has(c)) {
          // a restored producer stopped exporting what a kept consumer imports: the consumer moves too
          const p = all.find((q) => q !== c && restored.has(q) && exportsName(own(live, q), name));
          if (p) {
            const what = own(release, p) ? `which ${p} ${label} does not export` : `which ${p} exports now but ${label} does not have`;
            return { service: c, reason: `${c} imports ${name}, ${what}` };
          }
        } else {
          // a restored consumer imports what only the producer's #N artifact exports: the producer moves too
          const q = all.find((p) => p !== c && !restored.has(p) && exportsName(own(release, p), name));
          if (q) return { service: q, reason: `${c} ${label} imports ${name}, which ${asAfter(q)} does not export` };
        }
      }
    }
    for (const p of all) {
      if (!restored.has(p)) continue;
      const now = own(live, p);
      const next = own(release, p);
      for (const name of Object.keys(next?.exports ?? {}).sort()) {
        // an export moving back: whoever exports it now must let go in the same build
        const holder = all.find((q) => q !== p && !restored.has(q) && exportsName(own(live, q), name));
        if (holder)
          return { service: holder, reason: `${p} ${label} exports ${name}, which ${holder} exports now (export names are unique)` };
        // AWS refuses to change an export's value while a stack imports it
        const [before, value] = [now?.exports[name], next!.exports[name]!];
        if (before === undefined || before === value || !isKnownExportValue(before) || !isKnownExportValue(value)) continue;
        const consumer = all.find((c) => c !== p && !restored.has(c) && own(live, c)?.imports.includes(name));
        if (consumer) return { service: consumer, reason: `${consumer} imports ${name}, whose value ${p} ${label} changes` };
      }
    }
    return null;
  };

  for (let move = nextToMove(); move; move = nextToMove()) {
    restored.add(move.service);
    moved.push(move);
  }

  const target: TRelease = {};
  const targetStates: TServiceMap = {};
  for (const s of all) {
    const state = after(s);
    if (!state) continue;
    target[s] = state.artifact;
    targetStates[s] = state;
  }
  const picked = list([...services].sort());
  const changing = [...restored].filter((s) => own(live, s)?.artifact !== own(release, s)?.artifact);
  if (changing.length === 0) {
    return {
      ok: false,
      code: "nothing-to-restore",
      message: `${picked} already ${services.length > 1 ? "run" : "runs"} as in ${label}: nothing to roll back.`,
    };
  }
  const planned = planBuild({ kind: "rollback", live, target: targetStates, targetLabel: label });
  if (!planned.ok) {
    const extra = moved.length
      ? ` (with ${list(moved.map((m) => m.service))}, which must move with ${services.length > 1 ? "them" : "it"})`
      : "";
    return {
      ok: false,
      code: "no-single-pass",
      message: `No single build restores ${picked}${extra} to ${label}: ${planned.error.message}. Roll back the whole release, or split the change into two builds.`,
    };
  }
  return { ok: true, services: [...restored].sort(), moved, target, plan: planned.plan };
}
