// Promote (docs/architecture.md, "Release flow"): which builds may be promoted, and the parameter
// values a promoted artifact deploys with in its new stage. Pure.
import type { TBuildStatus } from "./domain";

const STATUS_WORDS: Partial<Record<TBuildStatus, string>> = {
  queued: "is still queued",
  running: "is still running",
  failed: "failed",
  canceled: "was canceled",
  skipped: "was skipped",
  awaiting_approval: "is waiting for approval",
  rejected: "was rejected",
};

/** Why build #n of `stage` cannot be promoted; null when it can (only a successful build can). */
export function promoteRefusal(build: { number: number; status: TBuildStatus }, stage: string): string | null {
  if (build.status === "success") return null;
  return `Build #${build.number} of ${stage} ${STATUS_WORDS[build.status] ?? build.status}; only a successful build can be promoted.`;
}

/**
 * The values a promoted artifact is resolved with in the target stage. The source artifact's values
 * came from its manifest (carried over: they belong to the commit), the source stage's settings (left
 * behind: they belong to that stage) or the template's Defaults; the target stage's own settings win.
 * Parameters absent from the result take their Default again.
 */
export function promotedParameters(
  source: Record<string, string>,
  sourceStage: Record<string, string> | undefined,
  targetStage: Record<string, string> | undefined,
): Record<string, string> {
  const carried = Object.fromEntries(Object.entries(source).filter(([name]) => !Object.hasOwn(sourceStage ?? {}, name)));
  return { ...carried, ...(targetStage ?? {}) };
}
