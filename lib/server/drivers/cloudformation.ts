import "server-only";
import {
  type Capability,
  CreateStackCommand,
  DeleteStackCommand,
  GetTemplateCommand,
  paginateListExports,
  paginateListImports,
  type Stack,
  UpdateStackCommand,
} from "@aws-sdk/client-cloudformation";
import { MAX_INLINE_TEMPLATE_BYTES } from "@/lib/core/templates";
import { identity, uploadTemplate } from "./cfn-account";
import { stackOwnership, stackTags, type TStackGuard } from "@/lib/core/stacks";
import { call, clientFor, describeStack, driverErrorOf, isNoUpdates, isValidationError, latestEventId } from "./cfn-client";
import { beforeChange, settleFirst, watch } from "./cfn-stop";
import { previewChanges } from "./cfn-changeset";
import {
  DriverError,
  StackOwnershipError,
  type TDeployInput,
  type TDriver,
  type TDriverStage,
  type TPreflightInput,
  type TRemoveInput,
  type TStackSnapshot,
  type TStepContext,
} from "./types";

// The cloudformation driver (docs/architecture.md, "Drivers"): a step is one CreateStack/UpdateStack/DeleteStack
// on the stage's account, awaited to its end with the stack's events streamed into the step's log.
// Whatever AWS refuses or rolls back fails the step with AWS's own reason. An existing stack is
// touched only when its sprout:* tags name this app, stage and service (or it has none and Sprout's
// records hold it, or the stage adopts it); every stack created or updated gets those tags. The
// calls that change a stack are sent without the step's signal, so that a stop never leaves us
// unsure whether AWS got them; a stop after one is handled by watch() (cfn-stop.ts).

// Serverless templates create IAM roles and may use macros; AWS refuses them without these.
const CAPABILITIES: Capability[] = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"];
const DEPLOYED = new Set(["CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"]);
// Stacks that exist but hold no deployed resources: a failed create, a change set never executed.
const EMPTY = new Set(["ROLLBACK_COMPLETE", "REVIEW_IN_PROGRESS", "DELETE_COMPLETE"]);

/** A refusal before anything started (ValidationError): logged as AWS prints it, then the step fails. */
function refused(e: unknown, ctx: TStepContext): DriverError {
  const err = driverErrorOf(e);
  ctx.log(`\u001b[31m${isValidationError(e) ? `ValidationError: ${err.message}` : err.message}\u001b[0m`);
  return err;
}

/** Throws when the stack is not the stage's to touch; `adopted` when the stage takes over a stack Sprout did not create. */
function checkOwner(stack: Stack, stackName: string, guard: TStackGuard, ctx?: TStepContext): { adopted: boolean } {
  const tags = Object.fromEntries((stack.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
  const verdict = stackOwnership(stackName, tags, guard);
  if (!verdict.ok) throw new StackOwnershipError(verdict.reason); // the step's log shows it as its error
  if (verdict.adopted)
    ctx?.log(`Adopting stack ${stackName}: it has no Sprout tags, and the stage's adoptStacks lists ${guard.owner.service}.`);
  return { adopted: verdict.adopted };
}

async function deleteStack(stage: TDriverStage, stackId: string, stackName: string, ctx: TStepContext): Promise<void> {
  const client = clientFor(stage);
  const after = await beforeChange(ctx, stackName, () => latestEventId(client, stackId, ctx.signal));
  try {
    await client.send(new DeleteStackCommand({ StackName: stackId }));
  } catch (e) {
    throw refused(e, ctx);
  }
  const end = await watch(client, "delete", { stackId, stackName, after, stage }, ctx);
  // AWS refuses to delete a stack whose export is imported by leaving it as it was, with the reason
  if (end.status !== "DELETE_COMPLETE") throw new DriverError(end.reason);
}

async function deploy(input: TDeployInput, ctx: TStepContext): Promise<{ changed: boolean; adopted: boolean }> {
  const { stage, stackName, template, guard } = input;
  const large = Buffer.byteLength(template) > MAX_INLINE_TEMPLATE_BYTES;
  const body = large ? { TemplateURL: await uploadTemplate(stage, template) } : { TemplateBody: template };
  if (large) ctx.log(`The template is over ${MAX_INLINE_TEMPLATE_BYTES} bytes: CloudFormation reads it from ${body.TemplateURL}`);
  const Parameters = Object.entries(input.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
  const client = clientFor(stage);
  let existing = await beforeChange(ctx, stackName, async () => {
    const found = await describeStack(client, stackName, ctx.signal);
    return (await settleFirst(client, found, stackName, stage, ctx)) ? describeStack(client, stackName, ctx.signal) : found;
  });
  if (existing?.StackStatus === "DELETE_COMPLETE") existing = null;
  const { adopted } = existing ? checkOwner(existing, stackName, guard, ctx) : { adopted: false };
  if (existing?.StackStatus === "ROLLBACK_COMPLETE") {
    // a create that failed leaves a stack that can only be deleted, as `serverless deploy` does
    ctx.log(`Stack ${stackName} is in ROLLBACK_COMPLETE (its creation failed): deleting it before creating it again.`);
    await deleteStack(stage, existing.StackId!, stackName, ctx);
    existing = null;
  }

  const after = await beforeChange(ctx, stackName, async () => (existing ? latestEventId(client, existing.StackId!, ctx.signal) : null));
  let stackId: string;
  try {
    const Tags = stackTags(guard.owner, existing?.Tags);
    const params = { StackName: stackName, ...body, Parameters, Capabilities: CAPABILITIES, Tags };
    const out = existing ? await client.send(new UpdateStackCommand(params)) : await client.send(new CreateStackCommand(params));
    stackId = out.StackId ?? existing?.StackId ?? stackName;
  } catch (e) {
    if (isNoUpdates(e)) {
      ctx.log(`No updates are to be performed. (${stackName})`);
      return { changed: false, adopted };
    }
    throw refused(e, ctx);
  }
  const end = await watch(client, existing ? "update" : "create", { stackId, stackName, after, stage }, ctx);
  if (!DEPLOYED.has(end.status)) throw new DriverError(end.reason);
  return { changed: true, adopted };
}

async function remove(input: TRemoveInput, ctx: TStepContext): Promise<{ adopted: boolean }> {
  const { stage, stackName } = input;
  const client = clientFor(stage);
  const existing = await beforeChange(ctx, stackName, async () => {
    const found = await describeStack(client, stackName, ctx.signal);
    return (await settleFirst(client, found, stackName, stage, ctx)) ? describeStack(client, stackName, ctx.signal) : found;
  });
  if (!existing || existing.StackStatus === "DELETE_COMPLETE") {
    ctx.log(`Stack ${stackName} does not exist: nothing to delete.`);
    return { adopted: false };
  }
  const { adopted } = checkOwner(existing, stackName, input.guard, ctx);
  await deleteStack(stage, existing.StackId!, stackName, ctx);
  return { adopted };
}

async function preflight(input: TPreflightInput): Promise<{ exportName: string; importers: string[] }[]> {
  if (!input.droppedExports.length) return [];
  const client = clientFor(input.stage);
  const live = new Set<string>();
  await call(async () => {
    for await (const page of paginateListExports({ client }, {})) for (const e of page.Exports ?? []) if (e.Name) live.add(e.Name);
  });
  const known = new Set(input.knownStacks);
  const blocking: { exportName: string; importers: string[] }[] = [];
  for (const exportName of new Set(input.droppedExports.map((d) => d.exportName))) {
    if (!live.has(exportName)) continue; // not exported in the account: nothing can import it
    const importers: string[] = [];
    try {
      for await (const page of paginateListImports({ client }, { ExportName: exportName })) importers.push(...(page.Imports ?? []));
    } catch (e) {
      // AWS answers "Export 'X' is not imported by any stack." with a ValidationError
      if (!isValidationError(e)) throw driverErrorOf(e);
    }
    const foreign = [...new Set(importers)].filter((s) => !known.has(s)).sort();
    if (foreign.length) blocking.push({ exportName, importers: foreign });
  }
  return blocking;
}

async function readStacks(
  stage: TDriverStage,
  stacks: { name: string; guard: TStackGuard }[],
): Promise<Record<string, TStackSnapshot | null>> {
  const client = clientFor(stage);
  const out: Record<string, TStackSnapshot | null> = {};
  for (const { name, guard } of stacks) {
    const stack = await describeStack(client, name);
    if (!stack || EMPTY.has(stack.StackStatus ?? "")) {
      out[name] = null;
      continue;
    }
    let adopted: boolean;
    try {
      ({ adopted } = checkOwner(stack, name, guard));
    } catch (e) {
      if (!(e instanceof StackOwnershipError)) throw e;
      out[name] = { refused: e.message }; // its template is never read
      continue;
    }
    const got = await call(() => client.send(new GetTemplateCommand({ StackName: stack.StackId, TemplateStage: "Original" })));
    const parameters = Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey ?? "", p.ParameterValue ?? ""]));
    out[name] = { template: got.TemplateBody ?? "", status: stack.StackStatus ?? "", adopted, parameters };
  }
  return out;
}

export const cloudformationDriver: TDriver = { identity, deploy, remove, preflight, readStacks, previewChanges };
