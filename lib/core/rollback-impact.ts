// What a rollback undoes, in the words the dialog shows before anything runs: the commits that
// leave the stage, and the planner's warnings in plain words. Pure.
import type { TBuildKind } from "./domain";
import type { TPlanWarning } from "./planner/types";

export interface TImpactBuild {
  number: number;
  kind: TBuildKind;
  rollbackOf: number | null;
  redeployOf: number | null;
  started: boolean;
  commit: { sha: string; message: string; author: string | null };
}

export interface TUndoneCommit {
  /** the build that deployed it */
  build: number;
  sha: string;
  message: string;
  author: string | null;
}

/**
 * The build whose deploy a release comes from: a rollback restores another build's release, which
 * may itself be a rollback's. `get` looks a build up by number; a chain longer than `maxHops` (or
 * a build not found) stops where it is.
 */
export function releaseSource(number: number, get: (n: number) => Pick<TImpactBuild, "kind" | "rollbackOf"> | undefined, maxHops = 20) {
  let n = number;
  for (let hop = 0; hop < maxHops; hop++) {
    const b = get(n);
    if (!b || b.kind !== "rollback" || b.rollbackOf === null || b.rollbackOf >= n) return n;
    n = b.rollbackOf;
  }
  return n;
}

/**
 * The commits a rollback undoes: those deployed after the target's release and up to the live
 * one (`from` and `to` are the builds those releases come from, see releaseSource), newest first,
 * each once. A branch's later commit contains its earlier ones, so a failed build's commit is
 * undone too; a build canceled before it started deployed nothing, a rollback or a redeploy no new
 * commit. Empty when the target is newer than what is live (a roll forward).
 */
export function commitsUndone(builds: TImpactBuild[], from: number, to: number): TUndoneCommit[] {
  if (to <= from) return [];
  const seen = new Set<string>();
  const out: TUndoneCommit[] = [];
  for (const b of [...builds].sort((x, y) => y.number - x.number)) {
    if (b.number <= from || b.number > to || !b.started || b.kind === "rollback" || b.kind === "remove" || b.redeployOf !== null) continue;
    if (seen.has(b.commit.sha)) continue;
    seen.add(b.commit.sha);
    out.push({ build: b.number, sha: b.commit.sha, message: b.commit.message, author: b.commit.author });
  }
  return out;
}

const and = (names: string[]) => (names.length < 2 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`);

/**
 * A planner warning as someone reads it in the middle of an incident. The planner's own message
 * stays in the API (`message`); this is what the dialog shows.
 */
export function plainWarning(w: TPlanWarning, rollback: boolean): string {
  const [producer, ...consumers] = w.services;
  const name = w.exports?.[0];
  if (w.code === "export-in-use" && producer && consumers.length && name) {
    const changes = /changes the value of export/.test(w.message);
    const stops = /is removed, dropping/.test(w.message) ? `${producer} is removed and with it` : `${producer} stops exporting`;
    const what = changes ? `${producer} changes the value of ${name}` : `${stops} ${name}`;
    const go = rollback ? "are rolled back" : "are deployed";
    return `${what}, which ${and(consumers)} ${consumers.length > 1 ? "use" : "uses"} today: ${and(consumers)} ${consumers.length > 1 ? go : go.replace("are", "is")} first, so that AWS accepts the change.`;
  }
  if (w.code === "dependency-changed" && producer) {
    return `${w.message.replace(/\bimports\b/g, "uses")}; the order follows ${rollback ? "what is restored" : "the new dependencies"}.`;
  }
  if (w.code === "edge-dropped") {
    return `Not the usual order: ${w.message.replace(/, against the usual .*$/, "")}.`;
  }
  return w.message;
}
