import "server-only";
import type { Prisma } from "@/lib/server/db";
import type { TBuildDetailJson, TBuildJson, TStepJson } from "@/lib/core/contracts";

// The build as the public API shows it (README.md, "The HTTP API"). One select, one serializer,
// shared by the GET routes, the POSTs that queue a build and the live stream.

export const buildSummarySelect = {
  id: true,
  number: true,
  kind: true,
  status: true,
  rollbackOf: true,
  redeployOf: true,
  trigger: true,
  source: true,
  supersededBy: true,
  skippedReason: true,
  promotedFromStage: true,
  promotedFromNumber: true,
  rollbackServices: true,
  approvedBy: true,
  commitSha: true,
  commitMessage: true,
  commitAuthor: true,
  commitBranch: true,
  triggeredBy: true,
  reason: true,
  error: true,
  cancelRequested: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} satisfies Prisma.BuildSelect;

export const stepSelect = {
  key: true,
  service: true,
  action: true,
  status: true,
  phase: true,
  after: true,
  position: true,
  artifactDigest: true,
  artifact: { select: { parameters: true, noEcho: true } },
  error: true,
  startedAt: true,
  finishedAt: true,
} satisfies Prisma.StepSelect;

export const buildDetailSelect = {
  ...buildSummarySelect,
  logSeq: true,
  warnings: true,
  target: true,
  steps: { select: stepSelect, orderBy: { position: "asc" } },
} satisfies Prisma.BuildSelect;

type TBuildSummaryRow = Prisma.BuildGetPayload<{ select: typeof buildSummarySelect }>;
type TBuildDetailRow = Prisma.BuildGetPayload<{ select: typeof buildDetailSelect }>;
type TStepRow = Prisma.StepGetPayload<{ select: typeof stepSelect }>;

/** A NoEcho parameter's value is never shown, as in the AWS console. */
const shownParameters = (values: Record<string, string>, noEcho: string[]) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, noEcho.includes(k) ? "****" : v]));

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function buildJson(b: TBuildSummaryRow): TBuildJson {
  return {
    number: b.number,
    kind: b.kind,
    status: b.status,
    rollbackOf: b.rollbackOf,
    redeployOf: b.redeployOf,
    trigger: b.trigger,
    source: sourceRequest(b.source),
    supersededBy: b.supersededBy,
    skippedReason: b.skippedReason,
    promotedFrom:
      b.promotedFromStage !== null && b.promotedFromNumber !== null ? { stage: b.promotedFromStage, number: b.promotedFromNumber } : null,
    rollbackServices: b.rollbackServices.length ? b.rollbackServices : null,
    approvedBy: b.approvedBy,
    commit: { sha: b.commitSha, message: b.commitMessage, author: b.commitAuthor, branch: b.commitBranch },
    triggeredBy: b.triggeredBy,
    reason: b.reason,
    error: b.error,
    cancelRequested: b.cancelRequested,
    createdAt: b.createdAt.toISOString(),
    startedAt: iso(b.startedAt),
    finishedAt: iso(b.finishedAt),
  };
}

export function stepJson(s: TStepRow): TStepJson {
  return {
    key: s.key,
    service: s.service,
    action: s.action,
    status: s.status,
    phase: s.phase,
    after: s.after,
    artifact: s.artifactDigest,
    parameters: s.artifact ? shownParameters(s.artifact.parameters as Record<string, string>, s.artifact.noEcho) : null,
    startedAt: iso(s.startedAt),
    finishedAt: iso(s.finishedAt),
    error: s.error,
  };
}

export function buildDetailJson(b: TBuildDetailRow): TBuildDetailJson {
  return {
    ...buildJson(b),
    logSeq: b.logSeq,
    warnings: (b.warnings ?? []) as TBuildDetailJson["warnings"],
    steps: b.steps.map(stepJson),
  };
}

/** What a source build was asked to build; the worker keeps its own state beside it (sprout.yml, the decision), not answered. */
function sourceRequest(source: unknown): TBuildJson["source"] {
  if (!source || typeof source !== "object") return null;
  const s = source as { ref?: unknown; services?: unknown; force?: unknown };
  return {
    ref: String(s.ref ?? ""),
    services: Array.isArray(s.services) ? s.services.map(String) : null,
    force: s.force === true,
  };
}
