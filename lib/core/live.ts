// What is live: which build's release a stage runs now (docs/architecture.md, "What is live"). Pure.
import type { TBuildKind, TBuildStatus, TRelease } from "./domain";
import { sameRelease } from "./rollback";

/** The build whose release is live, and for a rollback the build whose release it restored. */
export interface TLiveBuild {
  build: number;
  releaseOf: number | null;
  status: TBuildStatus;
}

export interface TLiveCandidate {
  number: number;
  kind: TBuildKind;
  status: TBuildStatus;
  rollbackOf: number | null;
  release: TRelease | null;
  /** null: it ended before it started (canceled while queued), so it changed nothing */
  started: boolean;
}

/**
 * The lowest build number that can hold the live release: every live-state row names the build
 * that wrote it, and a release that includes a write was recorded at the end of that build or a
 * later one (a stage runs its builds one at a time, in number order). A refresh writes 0.
 */
export function liveFloor(rows: { buildNumber: number }[]): number {
  return rows.reduce((max, r) => Math.max(max, r.buildNumber), 0);
}

/**
 * Among ended builds (newest first or not), the newest whose release equals the live state,
 * preferring a successful one: a failed build that changed nothing records the same release as
 * the build before it, and that one is what runs. A build that never started changed nothing.
 * Null when nothing is deployed, or when no build's release matches (a build is changing the
 * stage right now, or a refresh recorded stacks changed outside Sprout).
 */
export function pickLiveBuild(live: TRelease, candidates: TLiveCandidate[]): TLiveBuild | null {
  if (Object.keys(live).length === 0) return null;
  const matches = candidates
    .filter((c) => c.started && c.release !== null && sameRelease(c.release, live))
    .sort((a, b) => b.number - a.number);
  const pick = matches.find((c) => c.status === "success") ?? matches[0];
  if (!pick) return null;
  return { build: pick.number, releaseOf: pick.kind === "rollback" ? pick.rollbackOf : null, status: pick.status };
}
