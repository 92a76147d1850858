import "server-only";
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type Stack,
  type StackEvent,
} from "@aws-sdk/client-cloudformation";
import { guardedLookup } from "@/lib/server/endpoints";
import { DriverError, type TDriverStage, type TStepContext } from "./types";

// The AWS side of the cloudformation driver: one client per stage target, AWS errors turned into
// DriverErrors with AWS's own words, and the wait for a stack operation that streams its events.
// Credentials are never passed in: the SDK's default chain of the worker's environment finds them
// (or the named profile SPROUT_AWS_PROFILE, read from ~/.aws by the same chain's fromIni).
// A stage's own endpoint is connected to only where its name resolves to allowed addresses.

const clients = new Map<string, CloudFormationClient>();

export function clientFor(stage: TDriverStage): CloudFormationClient {
  const region = stage.region ?? process.env.AWS_REGION ?? "us-east-1";
  const endpoint = stage.endpoint ?? process.env.AWS_ENDPOINT_URL ?? undefined;
  const profile = process.env.SPROUT_AWS_PROFILE || undefined;
  const key = JSON.stringify([region, endpoint ?? null, profile ?? null, Boolean(stage.endpoint)]);
  let client = clients.get(key);
  if (!client) {
    // checked at every connection: the name may point elsewhere since the endpoint was set
    const requestHandler = stage.endpoint
      ? { httpAgent: { lookup: guardedLookup("http") }, httpsAgent: { lookup: guardedLookup("https") } }
      : undefined;
    client = new CloudFormationClient({ region, endpoint, profile, requestHandler });
    clients.set(key, client);
  }
  return client;
}

/** A local endpoint answers at once; AWS throttles DescribeStackEvents, so poll it gently. */
export function pollMs(stage: TDriverStage): number {
  const endpoint = stage.endpoint ?? process.env.AWS_ENDPOINT_URL;
  if (!endpoint) return 3000;
  try {
    const host = new URL(endpoint).hostname;
    return host === "localhost" || host === "127.0.0.1" || host === "[::1]" || host.endsWith(".localhost") ? 250 : 3000;
  } catch {
    return 3000;
  }
}

// turned into the step's StepStopped by cfn-stop.ts, which knows why the signal aborted
const STOPPED = "Stopped before the operation ended.";

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new DriverError(STOPPED));
    const onAbort = () => {
      clearTimeout(t);
      reject(new DriverError(STOPPED));
    };
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

const errorName = (e: unknown) => (e as { name?: string } | null)?.name ?? "";
export const isValidationError = (e: unknown) => errorName(e) === "ValidationError";
export const isMissingStack = (e: unknown) => isValidationError(e) && /does not exist/.test((e as Error).message);
export const isNoUpdates = (e: unknown) => isValidationError(e) && /No updates are to be performed/.test((e as Error).message);

// AWS's own error codes (CloudFormation's and the ones every AWS API answers). Another answer with an
// HTTP status is not AWS's: an endpoint may be any server, and what it says is not repeated.
const AWS_ERRORS = new Set([
  "ValidationError",
  "AlreadyExistsException",
  "InsufficientCapabilitiesException",
  "LimitExceededException",
  "TokenAlreadyExistsException",
  "StackNotFoundException",
  "ChangeSetNotFound",
  "ChangeSetNotFoundException",
  "OperationInProgressException",
  "InvalidOperationException",
  "InvalidChangeSetStatus",
  "StaleRequestException",
  "Throttling",
  "ThrottlingException",
  "RequestLimitExceeded",
  "AccessDenied",
  "AccessDeniedException",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "UnrecognizedClientException",
  "IncompleteSignature",
  "MissingAuthenticationToken",
  "InvalidAction",
  "InvalidParameterValue",
  "InvalidParameterCombination",
  "MissingParameter",
  "MalformedQueryString",
  "OptInRequired",
  "RequestExpired",
  "ServiceUnavailable",
  "InternalFailure",
]);

/** An SDK failure as a step error: AWS's message as is (a ValidationError is the template's or the order's fault). */
export function driverErrorOf(e: unknown): DriverError {
  if (e instanceof DriverError) return e;
  if (errorName(e) === "AbortError") return new DriverError(STOPPED);
  const status = (e as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  if (status !== undefined && !AWS_ERRORS.has(errorName(e)))
    return new DriverError(
      `The endpoint answered HTTP ${status} with something other than a CloudFormation answer; Sprout does not repeat what it said. Check the stage's endpoint.`,
    );
  const message = e instanceof Error ? e.message : String(e);
  if (isValidationError(e)) return new DriverError(message);
  if (errorName(e) === "CredentialsProviderError") return new DriverError(`No AWS credentials for the worker: ${message}`);
  return new DriverError(`${errorName(e) || "Error"}: ${message}`);
}

/** Runs one SDK call; any failure becomes a DriverError. */
export async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw driverErrorOf(e);
  }
}

export async function describeStack(client: CloudFormationClient, nameOrId: string, signal?: AbortSignal): Promise<Stack | null> {
  try {
    const out = await client.send(new DescribeStacksCommand({ StackName: nameOrId }), { abortSignal: signal });
    return out.Stacks?.[0] ?? null;
  } catch (e) {
    if (isMissingStack(e)) return null;
    throw driverErrorOf(e);
  }
}

/** The newest event of a stack now: the events of the next operation are those after it. */
export async function latestEventId(client: CloudFormationClient, stackId: string, signal: AbortSignal): Promise<string | null> {
  const out = await call(() => client.send(new DescribeStackEventsCommand({ StackName: stackId }), { abortSignal: signal }));
  return out.StackEvents?.[0]?.EventId ?? null;
}

const RED = (s: string) => `\u001b[31m${s}\u001b[0m`;
const GREEN = (s: string) => `\u001b[32m${s}\u001b[0m`;

function eventLine(ev: StackEvent, stackName: string): string {
  const status = ev.ResourceStatus ?? "";
  const line = [ev.Timestamp?.toISOString() ?? "", status, ev.ResourceType ?? "", ev.LogicalResourceId ?? "", ev.ResourceStatusReason ?? ""]
    .join(" ")
    .trim();
  if (/FAILED$|ROLLBACK/.test(status)) return RED(line);
  const stackLevel = ev.ResourceType === "AWS::CloudFormation::Stack" && ev.LogicalResourceId === stackName;
  return stackLevel && status.endsWith("_COMPLETE") && !ev.ResourceStatusReason ? GREEN(line) : line;
}

/** Generic reasons AWS gives next to the real one; the real one is what the step shows. */
const GENERIC = /^(Resource (creation|update) cancelled|The following resource\(s\) failed to|Rollback requested by user)/;

/** AWS's own reason for a failed operation: the failing event's, else the rollback's, else the stack's. */
function failureReason(events: StackEvent[], stack: Stack | null, stackName: string): string {
  const reasons = (match: (status: string) => boolean) =>
    events.filter((e) => match(e.ResourceStatus ?? "") && e.ResourceStatusReason).map((e) => e.ResourceStatusReason!);
  const failed = reasons((s) => s.endsWith("_FAILED"));
  const rollback = reasons((s) => s.includes("ROLLBACK_IN_PROGRESS"));
  const candidates = [...failed, ...rollback, stack?.StackStatusReason ?? ""].filter(Boolean);
  return (
    candidates.find((r) => !GENERIC.test(r)) ?? candidates[0] ?? `Stack ${stackName} ended in ${stack?.StackStatus ?? "an unknown state"}.`
  );
}

export interface TWaitResult {
  /** DELETE_COMPLETE when the stack is gone */
  status: string;
  reason: string;
}

/**
 * Polls a stack operation to its end, writing its events to the step's log as they come (only
 * events after `after`, each once). `stackId` rather than the name, so a deleted stack still answers.
 */
export async function waitForStack(
  client: CloudFormationClient,
  opts: { stackId: string; stackName: string; after: string | null; stage: TDriverStage },
  ctx: TStepContext,
): Promise<TWaitResult> {
  const seen = new Set<string>();
  const events: StackEvent[] = [];
  const interval = pollMs(opts.stage);
  for (let polls = 1; ; polls++) {
    // the stack first, then its events: every event up to a final status is logged before we stop
    const stack = await describeStack(client, opts.stackId, ctx.signal);
    const fresh: StackEvent[] = [];
    let token: string | undefined;
    pages: do {
      const page = await call(() =>
        client.send(new DescribeStackEventsCommand({ StackName: opts.stackId, NextToken: token }), { abortSignal: ctx.signal }),
      ).catch((e) => {
        if (stack === null && e instanceof DriverError && /does not exist/.test(e.message))
          return { StackEvents: [], NextToken: undefined };
        throw e;
      });
      for (const ev of page.StackEvents ?? []) {
        if (!ev.EventId || ev.EventId === opts.after || seen.has(ev.EventId)) break pages;
        fresh.push(ev);
      }
      token = page.NextToken;
    } while (token);
    for (const ev of fresh.reverse()) {
      seen.add(ev.EventId!);
      events.push(ev);
      ctx.log(eventLine(ev, opts.stackName));
    }
    const status = stack?.StackStatus ?? "DELETE_COMPLETE";
    // Right after the call, AWS may still show the previous status: wait for this operation's first event.
    const settled = !status.endsWith("_IN_PROGRESS") && (events.length > 0 || polls >= 3);
    if (settled) return { status, reason: status === "DELETE_COMPLETE" ? "" : failureReason(events, stack, opts.stackName) };
    await sleep(interval, ctx.signal);
  }
}
