// Rollback eligibility (docs/architecture.md, "Rollback"), pure: whether a build can be rolled back to,
// and if not, the reason the user reads next to the button.
import type { TBuildStatus, TRelease } from "./domain";

export interface TRollbackCandidate {
  number: number;
  stageId: number;
  status: TBuildStatus;
  /** the stage's live state at the build's end; null when the build never ended */
  release: TRelease | null;
}

export type TIneligibleCode = "other-stage" | "not-successful" | "no-release" | "already-live" | "artifacts-missing";
export type TEligibility = { eligible: true } | { eligible: false; code: TIneligibleCode; reason: string };

export function sameRelease(a: TRelease, b: TRelease): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

const STATUS_WORDS: Record<TBuildStatus, string> = {
  queued: "is still queued",
  running: "is still running",
  failed: "failed",
  canceled: "was canceled",
  success: "succeeded",
  skipped: "was skipped",
  awaiting_approval: "is waiting for approval",
  rejected: "was rejected",
};

export function rollbackEligibility(
  build: TRollbackCandidate,
  stage: { id: number; live: TRelease },
  existingArtifacts: ReadonlySet<string>,
): TEligibility {
  const no = (code: TIneligibleCode, reason: string): TEligibility => ({ eligible: false, code, reason });
  if (build.stageId !== stage.id)
    return no("other-stage", `Build #${build.number} belongs to another stage; roll back within the build's own stage.`);
  if (build.status !== "success") {
    return no("not-successful", `Build #${build.number} ${STATUS_WORDS[build.status]}; only a successful build can be rolled back to.`);
  }
  if (!build.release) return no("no-release", `Build #${build.number} recorded no release to restore.`);
  if (sameRelease(build.release, stage.live)) {
    return no("already-live", `Build #${build.number}'s release is what is live now; there is nothing to roll back.`);
  }
  const missing = Object.entries(build.release)
    .filter(([, digest]) => !existingArtifacts.has(digest))
    .map(([service]) => service);
  if (missing.length) {
    return no(
      "artifacts-missing",
      `The artifacts of build #${build.number} for ${missing.sort().join(", ")} are no longer stored; it cannot be restored.`,
    );
  }
  return { eligible: true };
}
