import "server-only";
import { db } from "@/lib/server/db";
import { substituteStage } from "@/lib/core/templates";
import { variablesForDriver } from "@/lib/server/data/stage-variables";
import { resolveParameters, type TVariables } from "@/lib/core/variables";
import { holdStack, recordAdoption, releaseStack, stackNamesOf, type TStackStage } from "@/lib/server/data/stacks";
import { DriverError, StackOwnershipError, type TDriver, type TDriverStage } from "@/lib/server/drivers/types";
import type { TClaimedBuild } from "./claim";

// One step's work on its service's stack (docs/cloudformation.md, "Stack names and ownership"): the
// stack is held first (its name stored, and on a shared target claimed for this stage and service,
// or refused when another app's stage holds it), the driver then checks the stack's own tags. A
// claim made for a stack that turns out not to be ours is let go; a stack taken over is audited.

export interface TStepStacks {
  stage: TStackStage;
  /** who queued the build, for the audit of an adoption */
  actor: string;
  buildNumber: number;
  /** each service's stack name, or why it has none */
  names: Record<string, string | Error>;
  /** what {{secret:NAME}} in a parameter resolves to */
  variables: TVariables;
}

export async function stepStacks(build: TClaimedBuild, services: string[], variables: TVariables = {}): Promise<TStepStacks> {
  const names: Record<string, string | Error> = {};
  for (const service of services) {
    names[service] = await stackNamesOf(db, build.stage, [service]).then(
      (n) => n[service]!,
      (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
    );
  }
  const given = variablesForDriver(variables, build.stage.driver);
  return { stage: build.stage, actor: build.triggeredBy, buildNumber: build.number, names, variables: given };
}

type TStepRow = { service: string; action: string; artifactDigest: string | null };
type TCtx = { log: (line: string) => void; signal: AbortSignal };

/** Deploys the step's artifact (with `${stage}` resolved) or removes its stack. */
export async function act(driver: TDriver, stacks: TStepStacks, stage: TDriverStage, s: TStepRow, ctx: TCtx) {
  const name = stacks.names[s.service];
  if (name === undefined) throw new DriverError(`No stack name for ${s.service}.`);
  if (name instanceof Error) throw new DriverError(name.message);
  const hold = await holdStack(stacks.stage, s.service, name);
  if (!hold.ok) throw new DriverError(hold.reason);
  const input = { stage, service: s.service, stackName: name, guard: hold.guard };
  let adopted = false;
  let status: "success" | "unchanged" = "success";
  try {
    if (s.action === "remove") adopted = (await driver.remove(input, ctx))?.adopted ?? false;
    else {
      const artifact = await db.artifact.findUniqueOrThrow({ where: { digest: s.artifactDigest! } });
      const template = substituteStage(artifact.template, stage.name);
      // resolved here, for this step only: the artifact keeps {{secret:NAME}}
      const resolved = resolveParameters(artifact.parameters as Record<string, string>, stacks.variables, stage.name);
      if (!resolved.ok) throw new DriverError(resolved.error);
      const parameters = resolved.values;
      const out = await driver.deploy({ ...input, template, artifact: artifact.digest, parameters }, ctx);
      adopted = out.adopted ?? false;
      if (!out.changed) status = "unchanged";
    }
  } catch (e) {
    if (e instanceof StackOwnershipError && hold.fresh) await releaseStack(stacks.stage, s.service, name, { name: hold.newName });
    throw e;
  }
  if (adopted) {
    const how = `build #${stacks.buildNumber} (${s.action} step)`;
    await db.$transaction((tx) => recordAdoption(tx, stacks.stage, { service: s.service, name, actor: stacks.actor, how }));
  }
  // a deleted stack is nobody's: its name stays this stage's, its claim goes
  if (s.action === "remove") await releaseStack(stacks.stage, s.service, name, { name: false });
  return status;
}
