import "server-only";
import { CancelUpdateStackCommand, type CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { describeStack, driverErrorOf, latestEventId, waitForStack, type TWaitResult } from "./cfn-client";
import { DriverError, stepStopped, stopReason, type TDriverStage, type TStepContext } from "./types";

// A stack operation under a step's signal. A cancel or a time limit stops an update with
// CancelUpdateStack (AWS rolls it back) and waits for the rollback; a create or delete cannot be
// stopped, so the step waits for it to settle and reports what happened. On a shutdown the worker
// stops watching: the next run of the step waits for the stack to settle first (settleFirst).

export type TOperation = "create" | "update" | "delete";

const YELLOW = (s: string) => `\u001b[33m${s}\u001b[0m`;

/** Logs a stop and throws it: the step ends with `outcome` as its reason. */
function stop(ctx: TStepContext, outcome: string): never {
  const err = stepStopped(ctx.signal, outcome);
  ctx.log(YELLOW(err.message));
  throw err;
}

/** Runs what comes before any change: a stop there leaves the stack as it was. */
export async function beforeChange<T>(ctx: TStepContext, stackName: string, fn: () => Promise<T>): Promise<T> {
  if (ctx.signal.aborted) stop(ctx, `nothing was changed; stack ${stackName} is as it was.`);
  try {
    return await fn();
  } catch (e) {
    if (ctx.signal.aborted) stop(ctx, `nothing was changed; stack ${stackName} is as it was.`);
    throw e;
  }
}

/** An operation's wait without the step's signal: what AWS does next must be seen to its end. */
const unstoppable = (ctx: TStepContext): TStepContext => ({ log: ctx.log, signal: new AbortController().signal });

/** Waits for an operation just started; a stop while it runs is handled as the header says. */
export async function watch(
  client: CloudFormationClient,
  op: TOperation,
  opts: { stackId: string; stackName: string; after: string | null; stage: TDriverStage },
  ctx: TStepContext,
): Promise<TWaitResult> {
  try {
    return await waitForStack(client, opts, ctx);
  } catch (e) {
    if (!ctx.signal.aborted) throw e;
  }
  const { stackName } = opts;
  const reason = stopReason(ctx.signal);
  const now = (await describeStack(client, opts.stackId).catch(() => null))?.StackStatus ?? "an unknown status";
  if (reason.kind === "shutdown" || reason.kind === "lost-lease") {
    stop(ctx, `stack ${stackName} left in ${now}; the step's next run waits for it to settle before it goes on.`);
  }
  const after = await latestEventId(client, opts.stackId, unstoppable(ctx).signal).catch(() => opts.after);
  if (op === "update") {
    try {
      await client.send(new CancelUpdateStackCommand({ StackName: opts.stackId }));
      ctx.log(YELLOW(`CancelUpdateStack ${stackName}: CloudFormation rolls the update back; waiting for the rollback to end.`));
    } catch (e) {
      // the update already ended (or is past the point of no return): its own outcome stands
      ctx.log(YELLOW(`CancelUpdateStack ${stackName} was refused (${driverErrorOf(e).message}); waiting for the update to end.`));
    }
  } else {
    ctx.log(YELLOW(`CloudFormation cannot stop a stack ${op} once started: waiting for ${stackName} to settle.`));
  }
  const end = await waitForStack(client, { ...opts, after }, unstoppable(ctx));
  if (op === "update" && end.status === "UPDATE_ROLLBACK_COMPLETE") {
    stop(ctx, `the update was rolled back (UPDATE_ROLLBACK_COMPLETE); stack ${stackName} is as it was.`);
  }
  ctx.log(YELLOW(`The ${op} of ${stackName} ended in ${end.status}; the stop did not change that.`));
  return end;
}

/** A stack an earlier operation left in progress (a worker stopped watching it) is waited for first. */
export async function settleFirst(
  client: CloudFormationClient,
  stack: { StackId?: string; StackStatus?: string } | null,
  stackName: string,
  stage: TDriverStage,
  ctx: TStepContext,
): Promise<boolean> {
  const status = stack?.StackStatus ?? "";
  if (!stack?.StackId || !status.endsWith("_IN_PROGRESS") || status === "REVIEW_IN_PROGRESS") return false;
  ctx.log(`Stack ${stackName} is ${status} (an earlier operation still runs): waiting for it to settle.`);
  const after = await latestEventId(client, stack.StackId, ctx.signal);
  const end = await waitForStack(client, { stackId: stack.StackId, stackName, after, stage }, ctx);
  if (end.status.endsWith("_FAILED")) throw new DriverError(`Stack ${stackName} ended in ${end.status}: ${end.reason}`);
  return true;
}
