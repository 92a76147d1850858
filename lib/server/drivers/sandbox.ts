import "server-only";
import { db } from "@/lib/server/db";
import { withDbRetry } from "@/lib/server/db-retry";
import { putStack, SANDBOX_IDENTITY, stackExports } from "@/lib/server/drivers/sandbox-account";
import { analyzeTemplate, parseTemplate, TemplateError, type TAnalyzeOptions } from "@/lib/core/templates";
import {
  DriverError,
  stepStopped,
  type TDeployInput,
  type TDriver,
  type TDriverStage,
  type TRemoveInput,
  type TStackSnapshot,
  type TStageIdentity,
  type TStepContext,
} from "./types";

// The default driver: a simulated AWS account per stage, kept in PostgreSQL (sandbox_stacks). It
// applies CloudFormation's cross-stack rules with AWS's wording, writes CloudFormation-style events,
// takes the time a template's Metadata.Sprout.deploySeconds says, and fails when told to (before
// anything changes, like an update that AWS rolled back). A step stopped before its commit leaves
// the account exactly as it was; once committed, it completes.

const DEFAULT_SECONDS = Number(process.env.SPROUT_SANDBOX_DEFAULT_SECONDS ?? 1);

/** Waits `ms`; resolves early (true) when the signal aborts. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(true);
    const onAbort = () => {
      clearTimeout(t);
      resolve(true);
    };
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(false);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Waits `ms` before the commit: a stop ends the step there, with nothing changed. */
async function sleep(ms: number, ctx: TStepContext, stackName: string, created: boolean): Promise<void> {
  if (!(await pause(ms, ctx.signal))) return;
  const err = stepStopped(ctx.signal, `nothing was changed; stack ${stackName} ${created ? "was not created" : "is as it was"}.`);
  ctx.log(`\u001b[33m${err.message}\u001b[0m`);
  throw err;
}

type TStackRow = { name: string; template: string; parameters: Record<string, string>; exports: Record<string, string>; imports: string[] };

type TClient = Parameters<Parameters<typeof db.$transaction>[0]>[0] | typeof db;

/** Every stack of the stage. */
async function stacksOf(client: TClient, stageId: number): Promise<TStackRow[]> {
  const rows = await client.sandboxStack.findMany({ where: { stageId } });
  return rows.map((r) => ({
    name: r.name,
    template: r.template,
    parameters: r.parameters as Record<string, string>,
    exports: r.exports as Record<string, string>,
    imports: r.imports,
  }));
}

/** The same, under a per-stage lock held to the end of the transaction, so that checks and the commit are one step. */
async function lockedStacks(tx: TClient, stageId: number): Promise<TStackRow[]> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('sprout-sandbox'), ${stageId}::int)`;
  return stacksOf(tx, stageId);
}

/** Exports of `stack` that others import and that `next` drops or changes: AWS refuses those. */
function exportConflicts(stacks: TStackRow[], stack: string, next: Record<string, string>): string | null {
  const mine = stacks.find((s) => s.name === stack);
  if (!mine) return null;
  for (const [name, value] of Object.entries(mine.exports)) {
    const importer = stacks.find((s) => s.name !== stack && s.imports.includes(name));
    if (!importer) continue;
    if (!(name in next)) return `Export ${name} cannot be deleted as it is in use by ${importer.name}`;
    if (next[name] !== value) return `Export ${name} cannot be updated as it is in use by ${importer.name}`;
  }
  return null;
}

function missingImport(stacks: TStackRow[], stack: string, imports: string[]): string | null {
  const available = new Set(stacks.filter((s) => s.name !== stack).flatMap((s) => Object.keys(s.exports)));
  const missing = imports.find((i) => !available.has(i));
  return missing ? `No export named ${missing} found.` : null;
}

/** The sandbox's account of a stage: its settings, else us-east-1 and 000000000000. */
async function identity(stage: TDriverStage): Promise<TStageIdentity> {
  return { region: stage.region ?? SANDBOX_IDENTITY.region, accountId: stage.accountId ?? SANDBOX_IDENTITY.accountId };
}

const sameParameters = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/** Resources as CloudFormation sees them: Fn::ForEach expanded for the stage and parameters. */
function resources(template: string, opts: TAnalyzeOptions): Map<string, { type: string; body: string }> {
  const parsed = parseTemplate(template, opts) as { Resources?: Record<string, { Type: string }> };
  return new Map(Object.entries(parsed.Resources ?? {}).map(([id, r]) => [id, { type: r.Type, body: JSON.stringify(r) }]));
}

async function deploy(input: TDeployInput, ctx: TStepContext): Promise<{ changed: boolean }> {
  const { stage, stackName, template, parameters } = input;
  const at = await identity(stage);
  const opts: TAnalyzeOptions = { stage: stage.name, stackName, ...at, parameters, service: input.service };
  let analysis;
  try {
    analysis = analyzeTemplate(template, opts);
  } catch (e) {
    if (e instanceof TemplateError) throw new DriverError(`Template format error: ${e.message}`);
    throw e;
  }
  // a first look; the commit below checks again under the lock
  const before = await withDbRetry("reading the sandbox account", () => stacksOf(db, stage.id));
  const existing = before.find((s) => s.name === stackName);
  if (existing?.template === template && sameParameters(existing.parameters, analysis.parameters)) {
    ctx.log(`No updates are to be performed. (${stackName})`);
    return { changed: false };
  }
  const verb = existing ? "UPDATE" : "CREATE";
  const refused = missingImport(before, stackName, analysis.imports);
  if (refused) {
    ctx.log(`ValidationError: ${refused}`);
    throw new DriverError(refused);
  }
  ctx.log(`${verb}_IN_PROGRESS AWS::CloudFormation::Stack ${stackName} User Initiated`);

  const old = existing
    ? resources(existing.template, { ...opts, parameters: existing.parameters })
    : new Map<string, { type: string; body: string }>();
  const next = resources(template, opts);
  const changes = [...next].filter(([id, r]) => old.get(id)?.body !== r.body);
  const removed = [...old].filter(([id]) => !next.has(id));
  const totalMs = (analysis.metadata.deploySeconds ?? DEFAULT_SECONDS) * 1000;
  // the step takes deploySeconds in all: spread over its resource events, or waited whole when none
  const slices = 2 * changes.length + removed.length;
  const tick = totalMs / Math.max(1, slices);

  if (analysis.metadata.fail) {
    const [id, r] = changes[0] ?? [...next][0]!;
    const action = old.has(id) ? "UPDATE" : "CREATE";
    ctx.log(`${action}_IN_PROGRESS ${r.type} ${id}`);
    await sleep(tick, ctx, stackName, !existing);
    ctx.log(`\u001b[31m${action}_FAILED ${r.type} ${id} ${analysis.metadata.fail}\u001b[0m`);
    ctx.log(`${existing ? "UPDATE_ROLLBACK_COMPLETE" : "ROLLBACK_COMPLETE"} AWS::CloudFormation::Stack ${stackName}`);
    throw new DriverError(analysis.metadata.fail);
  }
  for (const [id, r] of changes) {
    const action = old.has(id) ? "UPDATE" : "CREATE";
    ctx.log(`${action}_IN_PROGRESS ${r.type} ${id}`);
    await sleep(tick, ctx, stackName, !existing);
    ctx.log(`${action}_COMPLETE ${r.type} ${id}`);
    await sleep(tick, ctx, stackName, !existing);
  }
  if (!slices) await sleep(totalMs, ctx, stackName, !existing);
  if (removed.length) ctx.log(`UPDATE_COMPLETE_CLEANUP_IN_PROGRESS AWS::CloudFormation::Stack ${stackName}`);

  // Exports are checked and the stack committed under the stage's lock, so that parallel steps see
  // each other's changes in one order, as CloudFormation serializes them.
  const conflict = await withDbRetry(`committing stack ${stackName} to the sandbox account`, () =>
    db.$transaction(async (tx) => {
      const stacks = await lockedStacks(tx, stage.id);
      const why =
        missingImport(stacks, stackName, analysis.imports) ?? exportConflicts(stacks, stackName, stackExports(stackName, analysis, at));
      if (why) return why;
      await putStack(tx, stage.id, { name: stackName, template, analysis, status: `${verb}_COMPLETE`, at });
      return null;
    }),
  );
  if (conflict) {
    ctx.log(`\u001b[31m${verb}_FAILED AWS::CloudFormation::Stack ${stackName} ${conflict}\u001b[0m`);
    ctx.log(`${existing ? "UPDATE_ROLLBACK_COMPLETE" : "ROLLBACK_COMPLETE"} AWS::CloudFormation::Stack ${stackName}`);
    throw new DriverError(conflict);
  }
  // committed: the rest only paces the events, and a stop no longer undoes anything
  for (const [id, r] of removed) {
    ctx.log(`DELETE_COMPLETE ${r.type} ${id}`);
    await pause(tick, ctx.signal);
  }
  ctx.log(`\u001b[32m${verb}_COMPLETE AWS::CloudFormation::Stack ${stackName}\u001b[0m`);
  return { changed: true };
}

async function remove(input: TRemoveInput, ctx: TStepContext): Promise<void> {
  const { stage, stackName } = input;
  const current = (await withDbRetry("reading the sandbox account", () => stacksOf(db, stage.id))).find((s) => s.name === stackName);
  if (!current) {
    ctx.log(`Stack ${stackName} does not exist: nothing to delete.`);
    return;
  }
  ctx.log(`DELETE_IN_PROGRESS AWS::CloudFormation::Stack ${stackName} User Initiated`);
  const at = await identity(stage);
  const kinds = [...resources(current.template, { stage: stage.name, stackName, ...at, parameters: current.parameters })];
  const tick = (DEFAULT_SECONDS * 1000) / Math.max(1, kinds.length);
  const conflict = await withDbRetry(`deleting stack ${stackName} from the sandbox account`, () =>
    db.$transaction(async (tx) => {
      const stacks = await lockedStacks(tx, stage.id);
      const why = exportConflicts(stacks, stackName, {});
      if (why) return why;
      await tx.sandboxStack.deleteMany({ where: { stageId: stage.id, name: stackName } });
      return null;
    }),
  );
  if (conflict) {
    ctx.log(`\u001b[31mDELETE_FAILED AWS::CloudFormation::Stack ${stackName} ${conflict}\u001b[0m`);
    throw new DriverError(conflict);
  }
  for (const [id, r] of kinds.reverse()) {
    ctx.log(`DELETE_COMPLETE ${r.type} ${id}`);
    await pause(tick, ctx.signal);
  }
  ctx.log(`\u001b[32mDELETE_COMPLETE AWS::CloudFormation::Stack ${stackName}\u001b[0m`);
}

/** The sandbox account's stacks as they are, for refresh; every row holds a deployed stack. Its account is the stage's own: no tags to check. */
async function readStacks(stage: TDriverStage, stacks: { name: string }[]): Promise<Record<string, TStackSnapshot | null>> {
  const names = stacks.map((s) => s.name);
  const rows = await db.sandboxStack.findMany({ where: { stageId: stage.id, name: { in: names } } });
  const byName = new Map(
    rows.map((r) => [
      r.name,
      { template: r.template, status: r.status, adopted: false, parameters: r.parameters as Record<string, string> },
    ]),
  );
  return Object.fromEntries(names.map((n) => [n, byName.get(n) ?? null]));
}

// a sandbox step writes its stack in one transaction at its end: a lost one wrote all or nothing
export const sandboxDriver: TDriver = { identity, deploy, remove, readStacks, rerunsSafely: true };
