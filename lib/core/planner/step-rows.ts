// A plan's steps as a build stores them before it runs: an unchanged step is done already, the
// others wait. Shared by queueing a build and re-planning it when it starts.
import type { TPlan } from "./types";

export function stepRows(plan: TPlan) {
  return plan.steps.map((s, position) => ({
    key: s.service,
    service: s.service,
    action: s.action,
    status: s.action === "unchanged" ? ("unchanged" as const) : ("pending" as const),
    phase: s.phase,
    after: s.after,
    position,
    artifactDigest: s.artifact,
  }));
}
