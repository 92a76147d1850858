import "server-only";
import type { Prisma } from "@/lib/server/db";
import { type db } from "@/lib/server/db";
import type { TRelease, TServiceMap } from "@/lib/core/domain";
import { stackName } from "@/lib/core/artifacts";
import { serviceState } from "@/lib/core/templates";

// The planner's inputs come from artifacts: a service's exports and imports are read from its
// template for the stage. Artifacts never change, so the analysis is memoized per (digest, stage).
// A deploy plans from its new artifacts before storing them (`pending`): a refused build stores nothing.

type TTx = Prisma.TransactionClient | typeof db;

const memo = new Map<string, TServiceMap[string]>();
const MEMO_LIMIT = 20_000;

/** An artifact as stored: content-addressed by its digest. */
export type TArtifactRow = { digest: string; service: string; template: string; dependsOn: string[] };

export async function serviceStates(tx: TTx, stageName: string, release: TRelease, pending: TArtifactRow[] = []): Promise<TServiceMap> {
  const digests = [...new Set(Object.values(release))];
  const missing = digests.filter((d) => !memo.has(`${d}@${stageName}`));
  if (missing.length) {
    const unsaved = pending.filter((a) => missing.includes(a.digest));
    const stored = unsaved.length < missing.length ? await tx.artifact.findMany({ where: { digest: { in: missing } } }) : [];
    const rows = [...unsaved, ...stored];
    if (memo.size + rows.length > MEMO_LIMIT) memo.clear();
    for (const a of rows) {
      memo.set(
        `${a.digest}@${stageName}`,
        serviceState(a.template, a.dependsOn, a.digest, { stage: stageName, stackName: stackName(a.service, stageName) }),
      );
    }
  }
  const out: TServiceMap = {};
  for (const [service, digest] of Object.entries(release)) {
    const state = memo.get(`${digest}@${stageName}`);
    if (!state) throw new Error(`artifact ${digest} of ${service} is missing`);
    out[service] = state;
  }
  return out;
}

export async function liveRelease(tx: TTx, stageId: number): Promise<TRelease> {
  const rows = await tx.liveState.findMany({ where: { stageId }, select: { service: true, artifactDigest: true } });
  return Object.fromEntries(rows.map((r) => [r.service, r.artifactDigest]));
}
