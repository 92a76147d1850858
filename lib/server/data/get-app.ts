import "server-only";
import { db } from "@/lib/server/db";
import type { TAppRef } from "@/lib/server/context";
import { latestBuilds } from "@/lib/server/data/list-apps";
import { analyzeFor, stageTarget, type TStageTarget } from "@/lib/server/data/service-states";
import { stackNamesOf } from "@/lib/server/data/stacks";
import { liveBuilds } from "@/lib/server/data/live-build";
import type { TAppDetail, TServiceEdge, TServiceNode } from "@/lib/core/contracts";
import { prStagesJson } from "@/lib/core/stages";
import { pinJson } from "@/lib/server/data/stage-pin";

/** One app: its stages in pipeline order with their latest build, and its services' dependency graph. */
export async function getApp({ app }: { app: TAppRef }): Promise<{ app: TAppDetail }> {
  const row = await db.app.findUniqueOrThrow({
    where: { id: app.id },
    select: { createdAt: true, repositoryUrl: true, prStagesEnabled: true, prTemplateStage: true, prStageLimit: true },
  });
  const [allStages, serviceRows, liveRows] = await Promise.all([
    db.stage.findMany({ where: { appId: app.id }, orderBy: [{ position: "asc" }, { id: "asc" }] }),
    db.service.findMany({ where: { appId: app.id }, select: { name: true } }),
    db.liveState.findMany({ where: { stage: { appId: app.id } }, select: { stageId: true, service: true, artifactDigest: true } }),
  ]);
  const stages = allStages.filter((s) => !s.archived);
  const archived = allStages.filter((s) => s.archived).sort((a, b) => (b.archivedAt?.getTime() ?? 0) - (a.archivedAt?.getTime() ?? 0));
  const [latest, live] = await Promise.all([latestBuilds(allStages.map((s) => s.id)), liveBuilds(stages.map((s) => s.id))]);
  const pullRequest = (s: { prNumber: number | null; prTitle: string | null }) =>
    s.prNumber === null ? null : { number: s.prNumber, title: s.prTitle };

  // Each service is described by its artifact in the last stage of the pipeline where it is live
  // (a pull request's stage only when no other has it).
  const rank = new Map(stages.map((s, i) => [s.id, s.prNumber === null ? stages.length + i : i]));
  const chosen = new Map<string, { stageId: number; digest: string }>();
  for (const row of liveRows) {
    if (!rank.has(row.stageId)) continue; // an archived stage's
    const prev = chosen.get(row.service);
    if (!prev || rank.get(row.stageId)! > rank.get(prev.stageId)!)
      chosen.set(row.service, { stageId: row.stageId, digest: row.artifactDigest });
  }
  const artifacts = await db.artifact.findMany({
    where: { digest: { in: [...new Set([...chosen.values()].map((c) => c.digest))] } },
    select: { digest: true, template: true, dependsOn: true, parameters: true },
  });
  const byDigest = new Map(artifacts.map((a) => [a.digest, a]));
  // All templates are read as if in the pipeline's last stage (its name, region and account), so that
  // export names built from ${stage} match even when a producer and its consumer are live in
  // different stages. An account that cannot be asked (no credentials) leaves the sandbox's defaults.
  const last = stages.filter((s) => s.prNumber === null).at(-1) ?? stages.at(-1);
  const ref: TStageTarget = last
    ? await stageTarget(last).catch(() => ({ id: last.id, name: last.name, region: last.region ?? "us-east-1", accountId: "000000000000" }))
    : { id: 0, name: "", region: "us-east-1", accountId: "000000000000" };
  const stageName = new Map(stages.map((s) => [s.id, s.name]));

  const names = [...new Set([...serviceRows.map((s) => s.name), ...chosen.keys()])].sort();
  // AWS::StackName as it is in that stage: the stored name, else the stage's pattern's
  const stackOf: Record<string, string> = last ? await stackNamesOf(db, last, names).catch(() => ({})) : {};
  const services: TServiceNode[] = names.map((service) => {
    const pick = chosen.get(service);
    const artifact = pick ? byDigest.get(pick.digest) : undefined;
    const node: TServiceNode = {
      name: service,
      liveIn: pick ? stageName.get(pick.stageId)! : null,
      artifact: pick?.digest ?? null,
      exports: [],
      imports: [],
      dependsOn: artifact ? [...new Set(artifact.dependsOn)].sort() : [],
      error: null,
    };
    if (!artifact) return node;
    try {
      const stackName = stackOf[service] ?? `${service}-${ref.name}`;
      const analysis = analyzeFor(ref, service, stackName, artifact.template, artifact.parameters as Record<string, string>);
      node.exports = Object.keys(analysis.exports).sort();
      node.imports = analysis.imports;
    } catch (e) {
      node.error = e instanceof Error ? e.message : String(e);
    }
    return node;
  });

  return {
    app: {
      name: app.name,
      createdAt: row.createdAt.toISOString(),
      stages: stages.map((s) => ({
        name: s.name,
        driver: s.driver,
        position: s.position,
        region: s.region,
        branch: s.branch,
        autoDeploy: s.autoDeploy,
        latestBuild: latest.get(s.id) ?? null,
        live: live.get(s.id) ?? null,
        pullRequest: pullRequest(s),
        pinned: pinJson(s),
      })),
      archivedStages: archived.map((s) => ({
        name: s.name,
        pullRequest: pullRequest(s),
        archivedAt: s.archivedAt?.toISOString() ?? null,
        latestBuild: latest.get(s.id) ?? null,
      })),
      prStages: prStagesJson(row),
      repository: row.repositoryUrl ? { url: row.repositoryUrl } : null,
      services,
      edges: serviceEdges(services),
    },
  };
}

export function serviceEdges(services: TServiceNode[]): TServiceEdge[] {
  const known = new Set(services.map((s) => s.name));
  const owner = new Map<string, string>();
  for (const s of services) for (const name of s.exports) if (!owner.has(name)) owner.set(name, s.name);
  const edges = new Map<string, TServiceEdge>();
  const edge = (from: string, to: string) => {
    const key = `${from}\u0000${to}`;
    let e = edges.get(key);
    if (!e) edges.set(key, (e = { from, to, exports: [], dependsOn: false }));
    return e;
  };
  for (const s of services) {
    for (const p of s.dependsOn) if (p !== s.name && known.has(p)) edge(p, s.name).dependsOn = true;
    for (const name of s.imports) {
      const p = owner.get(name);
      if (p && p !== s.name) edge(p, s.name).exports.push(name);
    }
  }
  return [...edges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}
