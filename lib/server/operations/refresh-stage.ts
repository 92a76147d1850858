import "server-only";
import { db } from "@/lib/server/db";
import { artifactDigest } from "@/lib/core/artifacts";
import { AppError } from "@/lib/core/errors";
import { canonicalJson, parseTemplate, substituteStage, TemplateError } from "@/lib/core/templates";
import { analyzeFor, stageTarget } from "@/lib/server/data/service-states";
import { getStageOf } from "@/lib/server/data/lookup";
import { stageVariables, variablesForDriver } from "@/lib/server/data/stage-variables";
import { unresolveParameters } from "@/lib/core/variables";
import { recordAudit } from "@/lib/server/data/audit";
import { checkStacks, holdStack, recordAdoption, stackNamesOf } from "@/lib/server/data/stacks";
import { driverFor, driverStage } from "@/lib/server/drivers";
import { DriverError } from "@/lib/server/drivers/types";
import type { TDrift, TDriftKind, TRefreshResult } from "@/lib/core/contracts";
import type { TStackGuard } from "@/lib/core/stacks";
import type { TActor, TAppRef } from "@/lib/server/context";

// Refresh from the account: someone may have changed, deleted or created a stack behind Sprout's
// back. Every stack of the stage's services is read from the target and compared with the recorded
// live state; where they differ, the live state is made to record what is really deployed, so that
// the next plan starts from the truth (a changed stack becomes a new artifact, a missing one leaves
// the live state). A stack another app's stage holds, or that Sprout neither created nor was told
// to adopt, is not read (drift `refused`, with the reason); a stack recorded is held by the stage.

/** Same template whatever the formatting: JSON and YAML of one template compare equal. */
function sameTemplate(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return canonicalJson(parseTemplate(a)) === canonicalJson(parseTemplate(b));
  } catch {
    return false;
  }
}

const sameValues = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

const short = (digest: string) => digest.replace(/^sha256:/, "").slice(0, 12);

// A live_state row needs a build number; 0 says "recorded by a refresh, not by a build".
const REFRESH_BUILD = 0;

export async function refreshStage({ app, stage, actor }: { app: TAppRef; stage: string; actor: TActor }): Promise<TRefreshResult> {
  const st = await getStageOf(app, stage);
  const running = await db.build.findFirst({ where: { stageId: st.id, status: "running" }, select: { number: true } });
  if (running) throw new AppError("conflict", `Build #${running.number} is running in ${stage}; refresh once it has ended.`);
  const driver = await driverFor(st.driver);
  const at = await stageTarget(st);
  if (!driver.readStacks) throw new AppError("conflict", `The ${st.driver} driver cannot read back its stacks.`);

  const live = await db.liveState.findMany({ where: { stageId: st.id }, include: { artifact: true } });
  const variables = variablesForDriver(await stageVariables(st.id), st.driver);
  const services = await db.service.findMany({ where: { appId: st.appId }, select: { name: true } });
  const names = [...new Set([...live.map((l) => l.service), ...services.map((s) => s.name)])].sort();
  const stackOf = await stackNamesOf(db, st, names);
  const checks = await checkStacks(st, stackOf);
  const drift: TDrift[] = [];
  const readable = names.filter((service) => {
    const check = checks[service]!;
    if ("refused" in check) drift.push({ service, kind: "refused", detail: check.refused });
    return "guard" in check;
  });
  let stacks;
  try {
    stacks = await driver.readStacks(
      driverStage(st),
      readable.map((service) => ({ name: stackOf[service]!, guard: (checks[service] as { guard: TStackGuard }).guard })),
    );
  } catch (e) {
    if (e instanceof DriverError) throw new AppError("conflict", `Could not read the ${stage} account: ${e.message}`);
    throw e;
  }

  const writes: ((tx: Parameters<Parameters<typeof db.$transaction>[0]>[0]) => Promise<unknown>)[] = [];
  for (const service of readable) {
    const stack = stackOf[service]!;
    const read = stacks[stack] ?? null;
    const recorded = live.find((l) => l.service === service) ?? null;
    // a parameter deployed from {{secret:NAME}} is recorded as the reference again, never as the secret
    const actual =
      read && !("refused" in read)
        ? {
            ...read,
            parameters: unresolveParameters(
              read.parameters,
              (recorded?.artifact.parameters ?? null) as Record<string, string> | null,
              variables,
            ),
          }
        : read;
    if (!actual && !recorded) continue;
    if (actual && "refused" in actual) {
      drift.push({ service, kind: "refused", detail: actual.refused });
      continue;
    }
    if (!actual) {
      drift.push({
        service,
        kind: "missing",
        detail: `Stack ${stack} does not exist; ${service} is no longer recorded as live (was ${short(recorded!.artifactDigest)}).`,
      });
      // guarded: a build that recorded something else meanwhile wins
      writes.push((tx) => tx.liveState.deleteMany({ where: { stageId: st.id, service, artifactDigest: recorded!.artifactDigest } }));
      continue;
    }
    if (
      recorded &&
      sameTemplate(substituteStage(recorded.artifact.template, st.name), actual.template) &&
      sameValues(recorded.artifact.parameters as Record<string, string>, actual.parameters)
    )
      continue;

    const kind: TDriftKind = recorded ? "changed" : "untracked";
    const what = recorded
      ? `Stack ${stack} (${actual.status}) differs from the recorded ${short(recorded.artifactDigest)}`
      : `Stack ${stack} (${actual.status}) exists but no build of Sprout deployed it`;
    try {
      analyzeFor(at, service, stack, actual.template, actual.parameters);
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      drift.push({
        service,
        kind,
        detail: `${what}; its template cannot be analyzed (${e.message}), so the live state was left as it is.`,
      });
      continue;
    }
    // what is recorded as live is the stage's: held in Sprout's records from now on
    const hold = await holdStack(st, service, stack);
    if (!hold.ok) {
      drift.push({ service, kind: "refused", detail: hold.reason });
      continue;
    }
    if (actual.adopted)
      writes.push((tx) => recordAdoption(tx, st, { service, name: stack, actor: actor.label, how: "refresh from the account" }));
    const dependsOn = recorded?.artifact.dependsOn ?? [];
    const digest = artifactDigest(service, dependsOn, actual.template, actual.parameters);
    drift.push({ service, kind, detail: `${what}; recorded its deployed template as ${short(digest)}.` });
    writes.push(async (tx) => {
      await tx.artifact.createMany({
        data: [{ digest, service, template: actual.template, dependsOn, parameters: actual.parameters }],
        skipDuplicates: true,
      });
      if (recorded) {
        await tx.liveState.updateMany({
          where: { stageId: st.id, service, artifactDigest: recorded.artifactDigest },
          data: { artifactDigest: digest },
        });
      } else {
        await tx.liveState.createMany({
          data: [{ stageId: st.id, service, artifactDigest: digest, buildNumber: REFRESH_BUILD }],
          skipDuplicates: true,
        });
      }
    });
  }
  drift.sort((a, b) => a.service.localeCompare(b.service));
  await db.$transaction(async (tx) => {
    for (const write of writes) await write(tx);
    await recordAudit(tx, {
      appId: st.appId,
      actor: actor.label,
      action: "stage.refresh",
      target: st.name,
      detail: { drift: drift.map((d) => `${d.service}: ${d.kind}`) },
    });
  });
  return { drift, refreshedAt: new Date().toISOString() };
}
