import "server-only";
import { db } from "@/lib/server/db";
import type { TRelease } from "@/lib/core/domain";
import type { TLiveBuild } from "@/lib/core/live";
import type { TPlan } from "@/lib/core/planner";
import { destructiveNotes, resourceChanges, resourcesOf, type TResourceChange } from "@/lib/core/resource-changes";
import { commitsUndone, releaseSource, type TImpactBuild } from "@/lib/core/rollback-impact";
import { parseTemplate, TemplateError } from "@/lib/core/templates";
import type { TRollbackPlan, TRollbackPlanStep } from "@/lib/core/contracts";

// What a rollback changes and what it loses, read for its plan: per step the builds its artifacts
// come from and the resources that change (lib/core/resource-changes.ts), and the commits that
// leave the stage (lib/core/rollback-impact.ts). Reads only.

const MAX_COMMITS = 200;
// how far back to look for the build that deployed a restored artifact (an index walk per service)
const LOOKBACK = 2000;

const parsed = new Map<string, Record<string, unknown> | null>();
const PARSED_LIMIT = 2000;

/** A stored artifact's resources; an artifact that no longer parses is shown as changing nothing. */
function resources(digest: string | null, templates: Map<string, string>) {
  if (!digest) return resourcesOf(null);
  if (!parsed.has(digest)) {
    let root: Record<string, unknown> | null = null;
    try {
      root = parseTemplate(templates.get(digest) ?? "{}");
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
    }
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    parsed.set(digest, root);
  }
  return resourcesOf(parsed.get(digest) ?? null);
}

/** Per service, the newest build up to `target` that deployed its artifact of `release`. */
async function deployedBy(stageId: number, target: number, release: [string, string][]): Promise<Map<string, number>> {
  if (release.length === 0) return new Map();
  const rows = await db.$queryRaw<{ service: string; number: number | null }[]>`
    SELECT t.service, (
      SELECT b.number FROM builds b JOIN steps s ON s.build_id = b.id AND s.service = t.service
      WHERE b.stage_id = ${stageId} AND b.number <= ${target} AND b.number > ${target - LOOKBACK}
        AND s.artifact_digest = t.digest AND s.status = 'success'
      ORDER BY b.number DESC LIMIT 1) AS number
    FROM unnest(${release.map(([s]) => s)}::text[], ${release.map(([, d]) => d)}::text[]) AS t(service, digest)`;
  return new Map(rows.flatMap((r) => (r.number === null ? [] : [[r.service, r.number] as const])));
}

/** The build a release comes from, following rollbacks of rollbacks one indexed lookup at a time. */
async function releaseSourceOf(stageId: number, number: number): Promise<number> {
  const seen = new Map<number, Pick<TImpactBuild, "kind" | "rollbackOf">>();
  for (;;) {
    const n = releaseSource(number, (k) => seen.get(k));
    if (seen.has(n) || seen.size >= 20) return n;
    const row = await db.build.findUnique({ where: { stageId_number: { stageId, number: n } }, select: { kind: true, rollbackOf: true } });
    if (!row) return n;
    seen.set(n, row);
  }
}

async function undone(stageId: number, target: number, live: number) {
  const [from, to] = await Promise.all([releaseSourceOf(stageId, target), releaseSourceOf(stageId, live)]);
  if (to <= from) return { commits: [], truncated: false };
  const rows = await db.build.findMany({
    where: { stageId, number: { gt: from, lte: to } },
    orderBy: { number: "desc" },
    take: MAX_COMMITS + 1,
    select: {
      number: true,
      kind: true,
      rollbackOf: true,
      redeployOf: true,
      startedAt: true,
      commitSha: true,
      commitMessage: true,
      commitAuthor: true,
    },
  });
  const builds: TImpactBuild[] = rows.slice(0, MAX_COMMITS).map((r) => ({
    number: r.number,
    kind: r.kind,
    rollbackOf: r.rollbackOf,
    redeployOf: r.redeployOf,
    started: r.startedAt !== null,
    commit: { sha: r.commitSha, message: r.commitMessage, author: r.commitAuthor },
  }));
  return { commits: commitsUndone(builds, from, to), truncated: rows.length > MAX_COMMITS };
}

export interface TImpactInput {
  stageId: number;
  target: { number: number; release: TRelease };
  live: TLiveBuild | null;
  /** the stage's newest build: what "live" is measured from when no build's release is live */
  newest: number;
  plan: TPlan;
}

export async function rollbackImpact({
  stageId,
  target,
  live,
  newest,
  plan,
}: TImpactInput): Promise<Pick<TRollbackPlan, "steps" | "commitsUndone" | "commitsTruncated" | "destructive">> {
  const liveRows = await db.liveState.findMany({ where: { stageId }, select: { service: true, artifactDigest: true, buildNumber: true } });
  const liveOf = new Map(liveRows.map((r) => [r.service, r]));
  const changing = plan.steps.filter((s) => s.action !== "unchanged");
  const digests = [...new Set(changing.flatMap((s) => [s.artifact, liveOf.get(s.service)?.artifactDigest ?? null]))].filter(
    (d): d is string => d !== null && !parsed.has(d),
  );
  const [artifacts, toBuilds, commits] = await Promise.all([
    digests.length ? db.artifact.findMany({ where: { digest: { in: digests } }, select: { digest: true, template: true } }) : [],
    deployedBy(
      stageId,
      target.number,
      changing.flatMap((s) => (s.artifact ? [[s.service, s.artifact] as [string, string]] : [])),
    ),
    undone(stageId, target.number, live?.build ?? newest),
  ]);
  const templates = new Map(artifacts.map((a) => [a.digest, a.template]));
  const steps: TRollbackPlanStep[] = plan.steps.map((s) => {
    const now = liveOf.get(s.service);
    const fromBuild = now && now.buildNumber > 0 ? now.buildNumber : null;
    const changes = s.action !== "unchanged";
    const res: TResourceChange[] = changes
      ? resourceChanges(resources(now?.artifactDigest ?? null, templates), resources(s.artifact, templates))
      : [];
    return { ...s, changes, fromBuild, toBuild: changes ? (toBuilds.get(s.service) ?? null) : fromBuild, resources: res };
  });
  return {
    steps,
    commitsUndone: commits.commits,
    commitsTruncated: commits.truncated,
    destructive: destructiveNotes(steps),
  };
}
