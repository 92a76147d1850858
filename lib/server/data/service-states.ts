import "server-only";
import type { Prisma, Stage } from "@/lib/server/db";
import { type db } from "@/lib/server/db";
import type { TRelease, TServiceMap } from "@/lib/core/domain";
import { analyzeTemplate, serviceState, type TAnalyzeOptions } from "@/lib/core/templates";
import { AppError } from "@/lib/core/errors";
import { driverFor, driverStage } from "@/lib/server/drivers";
import { DriverError } from "@/lib/server/drivers/types";
import { stackNamesOf } from "@/lib/server/data/stacks";

// The planner's inputs come from artifacts: a service's exports and imports are read from its
// template as CloudFormation reads it for the stage (its name, region and account, the service's
// stack name there, the artifact's parameter values). Artifacts never change, so the analysis is
// memoized per digest, stage and stack name. A deploy plans from its new artifacts before storing
// them (`pending`): a refused build stores nothing.

type TTx = Prisma.TransactionClient | typeof db;

/** What templates of a stage are resolved with: `${stage}`, AWS::Region, AWS::AccountId. */
export interface TStageTarget {
  id: number;
  name: string;
  region: string;
  accountId: string;
  /** Why the account could not be learned (the app graph reads on without it); never set for planning. */
  accountUnknown?: string;
}

type TStageRow = Parameters<typeof driverStage>[0] & { driver: "sandbox" | "cloudformation" };

/** A stage's account, as its driver knows it; an account that cannot be asked is a 409 with AWS's reason. */
export async function stageTarget(stage: TStageRow): Promise<TStageTarget> {
  const driver = await driverFor(stage.driver);
  try {
    const { region, accountId } = await driver.identity(driverStage(stage));
    return { id: stage.id, name: stage.name, region, accountId };
  } catch (e) {
    if (e instanceof DriverError) throw new AppError("conflict", e.message);
    throw e;
  }
}

/** The options that read `service`'s template (its stack named `stackName`) for the target stage with these parameter values. */
export function analyzeOptions(
  target: TStageTarget,
  service: string,
  stackName: string,
  parameters: Record<string, string>,
): TAnalyzeOptions {
  return {
    stage: target.name,
    stackName,
    region: target.region,
    accountId: target.accountId,
    ...(target.accountUnknown === undefined ? {} : { accountUnknown: target.accountUnknown }),
    parameters,
    service,
  };
}

export function analyzeFor(target: TStageTarget, service: string, stackName: string, template: string, parameters: Record<string, string>) {
  return analyzeTemplate(template, analyzeOptions(target, service, stackName, parameters));
}

const memo = new Map<string, TServiceMap[string]>();
const MEMO_LIMIT = 20_000;
/** An artifact as stored: content-addressed by its digest. */
export type TArtifactRow = {
  digest: string;
  service: string;
  template: string;
  dependsOn: string[];
  parameters: Record<string, string>;
  noEcho: string[];
};

/** The services' states in the stage: each artifact read for the stage and its service's stack name. */
export async function serviceStates(tx: TTx, stage: Stage, release: TRelease, pending: TArtifactRow[] = []): Promise<TServiceMap> {
  const target = await stageTarget(stage);
  const names = await stackNamesOf(tx, stage, Object.keys(release));
  const key = (service: string, digest: string) => `${digest}@${target.name}@${target.region}@${target.accountId}@${names[service]}`;
  const missing = Object.entries(release).filter(([service, digest]) => !memo.has(key(service, digest)));
  if (missing.length) {
    const digests = [...new Set(missing.map(([, d]) => d))];
    const unsaved = pending.filter((a) => digests.includes(a.digest));
    const stored = unsaved.length < digests.length ? await tx.artifact.findMany({ where: { digest: { in: digests } } }) : [];
    const rows = [...unsaved, ...stored];
    if (memo.size + rows.length > MEMO_LIMIT) memo.clear();
    const byDigest = new Map(rows.map((a) => [a.digest, a]));
    for (const [service, digest] of missing) {
      const a = byDigest.get(digest);
      if (!a) continue;
      const options = analyzeOptions(target, service, names[service]!, a.parameters as Record<string, string>);
      memo.set(key(service, digest), serviceState(a.template, a.dependsOn, a.digest, options));
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
