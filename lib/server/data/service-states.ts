import "server-only";
import type { Prisma } from "@/lib/server/db";
import { type db } from "@/lib/server/db";
import type { TRelease, TServiceMap } from "@/lib/core/domain";
import { stackName } from "@/lib/core/artifacts";
import { analyzeTemplate, serviceState, type TAnalyzeOptions } from "@/lib/core/templates";
import { driverFor, driverStage } from "@/lib/server/drivers";

// The planner's inputs come from artifacts: a service's exports and imports are read from its
// template as CloudFormation reads it for the stage (its name, region and account, the artifact's
// parameter values). Artifacts never change, so the analysis is memoized per digest and stage.

type TTx = Prisma.TransactionClient | typeof db;

/** What templates of a stage are resolved with: `${stage}`, AWS::Region, AWS::AccountId. */
export interface TStageTarget {
  id: number;
  name: string;
  region: string;
  accountId: string;
}

type TStageRow = Parameters<typeof driverStage>[0] & { driver: "sandbox" | "cloudformation" };

export async function stageTarget(stage: TStageRow): Promise<TStageTarget> {
  const driver = await driverFor(stage.driver);
  const { region, accountId } = await driver.identity(driverStage(stage));
  return { id: stage.id, name: stage.name, region, accountId };
}

/** The options that read `service`'s template for the target stage with these parameter values. */
export function analyzeOptions(target: TStageTarget, service: string, parameters: Record<string, string>): TAnalyzeOptions {
  return {
    stage: target.name,
    stackName: stackName(service, target.name),
    region: target.region,
    accountId: target.accountId,
    parameters,
    service,
  };
}

export function analyzeFor(target: TStageTarget, service: string, template: string, parameters: Record<string, string>) {
  return analyzeTemplate(template, analyzeOptions(target, service, parameters));
}

const memo = new Map<string, TServiceMap[string]>();
const MEMO_LIMIT = 20_000;
const memoKey = (digest: string, t: TStageTarget) => `${digest}@${t.name}@${t.region}@${t.accountId}`;

export async function serviceStates(tx: TTx, target: TStageTarget, release: TRelease): Promise<TServiceMap> {
  const digests = [...new Set(Object.values(release))];
  const missing = digests.filter((d) => !memo.has(memoKey(d, target)));
  if (missing.length) {
    const rows = await tx.artifact.findMany({ where: { digest: { in: missing } } });
    if (memo.size + rows.length > MEMO_LIMIT) memo.clear();
    for (const a of rows) {
      const options = analyzeOptions(target, a.service, a.parameters as Record<string, string>);
      memo.set(memoKey(a.digest, target), serviceState(a.template, a.dependsOn, a.digest, options));
    }
  }
  const out: TServiceMap = {};
  for (const [service, digest] of Object.entries(release)) {
    const state = memo.get(memoKey(digest, target));
    if (!state) throw new Error(`artifact ${digest} of ${service} is missing`);
    out[service] = state;
  }
  return out;
}

export async function liveRelease(tx: TTx, stageId: number): Promise<TRelease> {
  const rows = await tx.liveState.findMany({ where: { stageId }, select: { service: true, artifactDigest: true } });
  return Object.fromEntries(rows.map((r) => [r.service, r.artifactDigest]));
}
