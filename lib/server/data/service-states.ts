import "server-only";
import type { Prisma } from "@/lib/server/db";
import { type db } from "@/lib/server/db";
import type { TRelease, TServiceMap } from "@/lib/core/domain";
import { serviceState } from "@/lib/core/templates";
import { stackNamesOf, type TStackStage } from "@/lib/server/data/stacks";

// The planner's inputs come from artifacts: a service's exports and imports are read from its
// template for the stage and the service's stack name there (AWS::StackName). Artifacts never
// change, so the analysis is memoized per (digest, stage, stack name).

type TTx = Prisma.TransactionClient | typeof db;

const memo = new Map<string, TServiceMap[string]>();
const MEMO_LIMIT = 20_000;

export async function serviceStates(tx: TTx, stage: TStackStage, release: TRelease): Promise<TServiceMap> {
  const names = await stackNamesOf(tx, stage, Object.keys(release));
  const key = (service: string, digest: string) => `${digest}@${stage.name}@${names[service]}`;
  const missing = Object.entries(release).filter(([service, digest]) => !memo.has(key(service, digest)));
  if (missing.length) {
    const rows = await tx.artifact.findMany({ where: { digest: { in: [...new Set(missing.map(([, d]) => d))] } } });
    if (memo.size + rows.length > MEMO_LIMIT) memo.clear();
    const byDigest = new Map(rows.map((a) => [a.digest, a]));
    for (const [service, digest] of missing) {
      const a = byDigest.get(digest);
      if (a)
        memo.set(key(service, digest), serviceState(a.template, a.dependsOn, a.digest, { stage: stage.name, stackName: names[service]! }));
    }
  }
  const out: TServiceMap = {};
  for (const [service, digest] of Object.entries(release)) {
    const state = memo.get(key(service, digest));
    if (!state) throw new Error(`artifact ${digest} of ${service} is missing`);
    out[service] = state;
  }
  return out;
}

export async function liveRelease(tx: TTx, stageId: number): Promise<TRelease> {
  const rows = await tx.liveState.findMany({ where: { stageId }, select: { service: true, artifactDigest: true } });
  return Object.fromEntries(rows.map((r) => [r.service, r.artifactDigest]));
}
