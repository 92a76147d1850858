import "server-only";
import { db, type Stage } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { analyzeFor, stageTarget, type TStageTarget } from "@/lib/server/data/service-states";
import { stackNamesOf } from "@/lib/server/data/stacks";
import type { TServiceEdge, TServiceNode } from "@/lib/core/contracts";

// The app's services and what connects them. Each service is described by its artifact in the last
// stage of the pipeline where it is live (a pull request's stage only when no other has it), read as
// CloudFormation reads it there: that stage's name, region, account and stack name. An edge joins a
// producer to a consumer when the producer, read in the consumer's stage, exports what the consumer
// imports: so `${stage}` and `${AWS::Region}` names match even when the two are live in different
// stages. A stage whose account cannot be learned (STS) is read without it, and a warning says so.

type TLiveRow = { stageId: number; service: string; artifactDigest: string };
type TAnalysis = { exports: string[]; imports: string[] } | { error: string };

export interface TAppGraph {
  services: TServiceNode[];
  edges: TServiceEdge[];
  /** what the graph could not read, e.g. a stage's account */
  warnings: string[];
}

export async function appGraph(stages: Stage[], liveRows: TLiveRow[], serviceNames: string[]): Promise<TAppGraph> {
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
  const names = [...new Set([...serviceNames, ...chosen.keys()])].sort();

  // Each stage a service is live in is a place to read templates: its target and its stack names.
  const warnings: string[] = [];
  const places = new Map<number, { target: TStageTarget; stackOf: Record<string, string> }>();
  for (const stageId of new Set([...chosen.values()].map((c) => c.stageId))) {
    const stage = stages.find((s) => s.id === stageId)!;
    const [target, stackOf] = await Promise.all([targetOf(stage, warnings), stackNamesOf(db, stage, names).catch(() => ({}))]);
    places.set(stageId, { target, stackOf: stackOf as Record<string, string> });
  }

  const memo = new Map<string, TAnalysis>();
  const read = (service: string, stageId: number): TAnalysis | null => {
    const artifact = byDigest.get(chosen.get(service)?.digest ?? "");
    if (!artifact) return null;
    const key = `${service}\u0000${stageId}`;
    if (!memo.has(key)) {
      const { target, stackOf } = places.get(stageId)!;
      try {
        const stackName = stackOf[service] ?? `${service}-${target.name}`;
        const analysis = analyzeFor(target, service, stackName, artifact.template, artifact.parameters as Record<string, string>);
        memo.set(key, { exports: Object.keys(analysis.exports).sort(), imports: analysis.imports });
      } catch (e) {
        memo.set(key, { error: e instanceof Error ? e.message : String(e) });
      }
    }
    return memo.get(key)!;
  };

  const services: TServiceNode[] = names.map((service) => {
    const pick = chosen.get(service);
    const artifact = pick ? byDigest.get(pick.digest) : undefined;
    const own = pick ? read(service, pick.stageId) : null;
    return {
      name: service,
      liveIn: pick ? stages.find((s) => s.id === pick.stageId)!.name : null,
      artifact: pick?.digest ?? null,
      exports: own && "exports" in own ? own.exports : [],
      imports: own && "imports" in own ? own.imports : [],
      dependsOn: artifact ? [...new Set(artifact.dependsOn)].sort() : [],
      error: own && "error" in own ? own.error : null,
    };
  });
  // producers as a consumer's stage sees them
  const seenIn = new Map<number, TServiceNode[]>();
  const seenBy = (consumer: TServiceNode): TServiceNode[] => {
    const stageId = chosen.get(consumer.name)?.stageId;
    if (stageId === undefined) return services;
    if (!seenIn.has(stageId)) {
      seenIn.set(
        stageId,
        services.map((s) => {
          const r = read(s.name, stageId);
          return { ...s, exports: r && "exports" in r ? r.exports : [] };
        }),
      );
    }
    return seenIn.get(stageId)!;
  };
  return { services, edges: serviceEdges(services, seenBy), warnings };
}

/** The stage's name, region and account; when STS cannot tell the account, a warning and no account. */
async function targetOf(stage: Stage, warnings: string[]): Promise<TStageTarget> {
  try {
    return await stageTarget(stage);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    warnings.push(`${e.message} Export and import names built from AWS::AccountId in stage ${stage.name} are not shown.`);
    // the cloudformation driver's own default region when the stage names none
    const region = stage.region ?? (stage.driver === "cloudformation" ? process.env.AWS_REGION : undefined) ?? "us-east-1";
    return { id: stage.id, name: stage.name, region, accountId: "", accountUnknown: `Sprout could not learn for stage ${stage.name}` };
  }
}

/**
 * `from` must be deployed before `to`: `to` imports what `from` exports, or lists it in dependsOn.
 * `seenBy(consumer)`: the services with their exports as the consumer's stage reads them.
 */
export function serviceEdges(
  services: TServiceNode[],
  seenBy: (consumer: TServiceNode) => TServiceNode[] = () => services,
): TServiceEdge[] {
  const known = new Set(services.map((s) => s.name));
  const owners = new Map<TServiceNode[], Map<string, string>>();
  const ownerOf = (consumer: TServiceNode, name: string) => {
    const seen = seenBy(consumer);
    let owner = owners.get(seen);
    if (!owner) {
      owner = new Map();
      for (const s of seen) for (const n of s.exports) if (!owner.has(n)) owner.set(n, s.name);
      owners.set(seen, owner);
    }
    return owner.get(name);
  };
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
      const p = ownerOf(s, name);
      if (p && p !== s.name) edge(p, s.name).exports.push(name);
    }
  }
  return [...edges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}
