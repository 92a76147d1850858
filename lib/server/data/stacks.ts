import "server-only";
import { db, type Prisma } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/server/data/audit";
import { stackNameFrom, stackTarget, type TStackGuard } from "@/lib/core/stacks";

// Stacks belong to one app (docs/cloudformation.md, "Stack names and ownership"). A service's stack
// name in a stage is the stored one (stage_stacks), else the stage's pattern's; it is stored when
// the stage first holds the stack. On a shared target (an endpoint, or AWS with the host's
// credentials) a stack is held through a claim whose key, (target, region, name), lets one app's
// stage and service have it. Stacks deployed before Sprout tagged its stacks are held by the stage
// the migration recorded them for (`legacy`), until a claim says so outright.

type TTx = Prisma.TransactionClient | typeof db;

export interface TStackStage {
  id: number;
  appId: number;
  name: string;
  driver: string;
  region: string | null;
  endpoint: string | null;
  stackNamePattern: string | null;
  adoptStacks: string[];
}

export interface TStackRef {
  target: string;
  region: string;
  name: string;
}

/** Where the stage's stacks live as claims key it; null for the sandbox (an account of the stage's own). */
export function targetOf(stage: Pick<TStackStage, "driver" | "endpoint" | "region">): { target: string; region: string } | null {
  return stackTarget(stage, { endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION });
}

const appName = async (tx: TTx, appId: number) => (await tx.app.findUniqueOrThrow({ where: { id: appId }, select: { name: true } })).name;

/** Each service's stack name in the stage: the stored one, else its pattern's. Reads only. */
export async function stackNamesOf(tx: TTx, stage: TStackStage, services: Iterable<string>): Promise<Record<string, string>> {
  const list = [...new Set(services)];
  if (!list.length) return {};
  const [app, rows] = await Promise.all([
    appName(tx, stage.appId),
    tx.stageStack.findMany({ where: { stageId: stage.id, service: { in: list } }, select: { service: true, name: true } }),
  ]);
  const stored = new Map(rows.map((r) => [r.service, r.name]));
  const out: Record<string, string> = {};
  for (const service of list) {
    try {
      out[service] = stored.get(service) ?? stackNameFrom(stage.stackNamePattern, { app, stage: stage.name, service });
    } catch (e) {
      throw new AppError("bad_request", (e as Error).message);
    }
  }
  return out;
}

interface THolder {
  stageId: number;
  service: string;
  app: string;
  stage: string;
}

/** Who holds the stack in Sprout's records: its claim, else the (first) stage that deployed it there before Sprout tagged stacks. */
async function holderOf(tx: TTx, ref: TStackRef): Promise<THolder | null> {
  const claim = await tx.stackClaim.findUnique({
    where: { target_region_name: ref },
    select: { stageId: true, service: true, app: { select: { name: true } }, stage: { select: { name: true } } },
  });
  if (claim) return { stageId: claim.stageId, service: claim.service, app: claim.app.name, stage: claim.stage.name };
  const legacy = await tx.stageStack.findMany({
    where: { name: ref.name, legacy: true },
    select: { service: true, stage: { select: { id: true, name: true, driver: true, endpoint: true, region: true, app: true } } },
    orderBy: { stageId: "asc" },
  });
  for (const { service, stage } of legacy) {
    const at = targetOf(stage);
    if (at?.target === ref.target && at.region === ref.region)
      return { stageId: stage.id, service, app: stage.app.name, stage: stage.name };
  }
  return null;
}

const where = (ref: TStackRef) => `${ref.target === "aws" ? "AWS" : ref.target.replace(/^endpoint:/, "")}, region ${ref.region}`;

function heldElsewhere(ref: TStackRef, holder: THolder, me: { app: string; stage: string; service: string }): string {
  return (
    `Stack ${ref.name} (${where(ref)}) belongs to app "${holder.app}" (stage ${holder.stage}, service ${holder.service}) in this Sprout: ` +
    `app "${me.app}" (stage ${me.stage}, service ${me.service}) may not create, update, delete or read it. ` +
    `Give this stage a stackNamePattern with {app} (e.g. {app}-{service}-{stage}) so that its stacks have names of their own.`
  );
}

export type TStackCheck = { refused: string } | { guard: TStackGuard };

/** Per service, read only: why the stage may not act on its stack (another stage or service holds it), else the guard to act with. */
export async function checkStacks(stage: TStackStage, names: Record<string, string>): Promise<Record<string, TStackCheck>> {
  const app = await appName(db, stage.appId);
  const at = targetOf(stage);
  const out: Record<string, TStackCheck> = {};
  for (const [service, name] of Object.entries(names)) {
    const me = { app, stage: stage.name, service };
    const holder = at ? await holderOf(db, { ...at, name }) : null;
    const mine = !holder || (holder.stageId === stage.id && holder.service === service);
    out[service] = mine
      ? { guard: { owner: me, held: holder !== null || !at, adoptable: stage.adoptStacks.includes(service) } }
      : { refused: heldElsewhere({ ...at!, name }, holder!, me) };
  }
  return out;
}

export type THold =
  | {
      ok: true;
      guard: TStackGuard;
      /** nothing held it before: undo with releaseStack if the stack turns out not to be ours */
      fresh: boolean;
      /** its name was stored just now */
      newName: boolean;
    }
  | { ok: false; reason: string };

/**
 * Before the stage acts on a service's stack: stores its name and, on a shared target, claims it
 * (the claim's key refuses a second holder even when two apps race). Refused when another stage or
 * service holds it. The guard says what the driver may then accept of the stack's tags.
 */
export async function holdStack(stage: TStackStage, service: string, name: string): Promise<THold> {
  const app = await appName(db, stage.appId);
  const me = { app, stage: stage.name, service };
  const at = targetOf(stage);
  const holder = at ? await holderOf(db, { ...at, name }) : null;
  if (at && holder && (holder.stageId !== stage.id || holder.service !== service))
    return { ok: false, reason: heldElsewhere({ ...at, name }, holder, me) };

  const named = await db.stageStack.createMany({ data: [{ stageId: stage.id, service, name }], skipDuplicates: true });
  const stored = await db.stageStack.findUniqueOrThrow({ where: { stageId_service: { stageId: stage.id, service } } });
  if (stored.name !== name)
    return { ok: false, reason: `The stack of ${service} in ${stage.name} is named ${stored.name} now, not ${name}: run the build again.` };
  let claimed = 0;
  if (at) {
    const ref = { ...at, name };
    claimed = (await db.stackClaim.createMany({ data: [{ ...ref, appId: stage.appId, stageId: stage.id, service }], skipDuplicates: true }))
      .count;
    const now = await holderOf(db, ref);
    if (now && (now.stageId !== stage.id || now.service !== service)) {
      if (named.count) await db.stageStack.deleteMany({ where: { stageId: stage.id, service, name } });
      return { ok: false, reason: heldElsewhere(ref, now, me) };
    }
  }
  const held = holder !== null || stored.legacy || !at;
  const guard = { owner: me, held, adoptable: stage.adoptStacks.includes(service) };
  return { ok: true, guard, fresh: !held && (claimed > 0 || named.count > 0), newName: named.count > 0 };
}

/** Lets go of a stack: its claim (it was deleted, or was not ours after all) and, with `name`, the stored name too. */
export async function releaseStack(stage: TStackStage, service: string, name: string, opts: { name: boolean }): Promise<void> {
  const at = targetOf(stage);
  if (at) await db.stackClaim.deleteMany({ where: { ...at, name, stageId: stage.id, service } });
  if (opts.name) await db.stageStack.deleteMany({ where: { stageId: stage.id, service, name } });
}

/** The stage took over a stack Sprout did not create: audited, and the service leaves the stage's adoptStacks. */
export async function recordAdoption(
  tx: Prisma.TransactionClient,
  stage: TStackStage,
  e: { service: string; name: string; actor: string; how: string },
): Promise<void> {
  await tx.$executeRaw`UPDATE stages SET adopt_stacks = array_remove(adopt_stacks, ${e.service}) WHERE id = ${stage.id}`;
  const at = targetOf(stage);
  await recordAudit(tx, {
    appId: stage.appId,
    actor: e.actor,
    action: "stack.adopt",
    target: `${stage.name} ${e.service}`,
    detail: { stack: e.name, where: at ? where({ ...at, name: e.name }) : "sandbox", how: e.how },
  });
}
