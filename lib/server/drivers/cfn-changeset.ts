import "server-only";
import crypto from "node:crypto";
import {
  type Capability,
  type Change,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  type DescribeChangeSetCommandOutput,
  GetTemplateCommand,
} from "@aws-sdk/client-cloudformation";
import { stackOwnership, stackTags } from "@/lib/core/stacks";
import { resourcesOf, type TResourceChange } from "@/lib/core/resource-changes";
import { canonicalJson, MAX_INLINE_TEMPLATE_BYTES, parseTemplate, TemplateError } from "@/lib/core/templates";
import { uploadTemplate } from "./cfn-account";
import { call, clientFor, describeStack, driverErrorOf, isNoUpdates, sleep } from "./cfn-client";
import { DriverError, StackOwnershipError, type TDeployInput } from "./types";

// A promote's plan on the cloudformation driver asks AWS what an update would change: a change set
// is created on the stage's stack, described, and deleted again, whatever happens in between (it is
// never executed). A stack that does not exist is not asked (a CREATE change set would leave an
// empty stack behind): the caller shows every resource of the template as added.

const CAPABILITIES: Capability[] = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"];
const EMPTY = new Set(["ROLLBACK_COMPLETE", "REVIEW_IN_PROGRESS", "DELETE_COMPLETE"]);
// AWS's words for a change set with nothing in it (it ends FAILED)
const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;
const WAIT_MS = 120_000;

const ACTION: Record<string, TResourceChange["change"]> = {
  Add: "added",
  Modify: "modified",
  Remove: "removed",
  Dynamic: "modified",
  Import: "added",
};

/** The stack's current template's resources, to tell a real Add from an emulator's Add of a resource that exists. */
async function currentResources(client: ReturnType<typeof clientFor>, stackId: string): Promise<Record<string, unknown>> {
  const got = await call(() => client.send(new GetTemplateCommand({ StackName: stackId, TemplateStage: "Original" })));
  try {
    return resourcesOf(parseTemplate(got.TemplateBody ?? "{}"));
  } catch (e) {
    if (e instanceof TemplateError) return {};
    throw e;
  }
}

function changesOf(changes: Change[], current: Record<string, unknown>, next: Record<string, unknown>): TResourceChange[] {
  const out: TResourceChange[] = [];
  for (const c of changes) {
    const r = c.ResourceChange;
    if (!r?.LogicalResourceId) continue;
    let change = ACTION[r.Action ?? ""] ?? "modified";
    const id = r.LogicalResourceId;
    // AWS says Modify for a resource that stays; an emulator may say Add: the current template decides
    if (change === "added" && Object.hasOwn(current, id)) {
      if (Object.hasOwn(next, id) && canonicalJson(current[id]) === canonicalJson(next[id])) continue;
      change = "modified";
    }
    const before = current[id] as { DeletionPolicy?: string } | undefined;
    const retained = change === "removed" && (before?.DeletionPolicy === "Retain" || before?.DeletionPolicy === "Snapshot");
    out.push({ logicalId: id, type: r.ResourceType ?? "unknown type", change, ...(retained ? { retained: true } : {}) });
  }
  const order = { removed: 0, modified: 1, added: 2 };
  return out.sort((a, b) => order[a.change] - order[b.change] || a.logicalId.localeCompare(b.logicalId));
}

/** What updating the stack to `input.template` would change, as CloudFormation says; null when the stack does not exist. */
export async function previewChanges(input: TDeployInput): Promise<TResourceChange[] | null> {
  const { stage, stackName, template, guard } = input;
  const client = clientFor(stage);
  const stack = await describeStack(client, stackName);
  if (!stack || EMPTY.has(stack.StackStatus ?? "")) return null;
  const tags = Object.fromEntries((stack.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
  const verdict = stackOwnership(stackName, tags, guard);
  if (!verdict.ok) throw new StackOwnershipError(verdict.reason);
  const large = Buffer.byteLength(template) > MAX_INLINE_TEMPLATE_BYTES;
  const body = large ? { TemplateURL: await uploadTemplate(stage, template) } : { TemplateBody: template };
  const name = `sprout-preview-${crypto.randomBytes(6).toString("hex")}`;
  const current = await currentResources(client, stack.StackId!);
  let next: Record<string, unknown> = {};
  try {
    next = resourcesOf(parseTemplate(template));
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
  }
  let created = false;
  try {
    try {
      await client.send(
        new CreateChangeSetCommand({
          StackName: stackName,
          ChangeSetName: name,
          ChangeSetType: "UPDATE",
          ...body,
          Parameters: Object.entries(input.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
          Capabilities: CAPABILITIES,
          Tags: stackTags(guard.owner, stack.Tags),
        }),
      );
      created = true;
    } catch (e) {
      if (isNoUpdates(e)) return [];
      throw driverErrorOf(e);
    }
    const changes: Change[] = [];
    const started = Date.now();
    let token: string | undefined;
    for (;;) {
      const out: DescribeChangeSetCommandOutput = await call(() =>
        client.send(new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: name, NextToken: token })),
      );
      if (out.Status === "FAILED") {
        if (NO_CHANGES.test(out.StatusReason ?? "")) return [];
        throw new DriverError(
          `CloudFormation could not compute the changes to ${stackName}: ${out.StatusReason ?? "the change set failed"}`,
        );
      }
      if (out.Status !== "CREATE_COMPLETE") {
        if (Date.now() - started > WAIT_MS)
          throw new DriverError(`CloudFormation took over ${WAIT_MS / 1000} s to compute the changes to ${stackName}.`);
        await sleep(500, AbortSignal.timeout(WAIT_MS));
        continue;
      }
      changes.push(...(out.Changes ?? []));
      token = out.NextToken;
      if (!token) break;
    }
    return changesOf(changes, current, next);
  } finally {
    if (created) {
      await client.send(new DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: name })).catch((e: unknown) => {
        console.error(`[sprout] could not delete change set ${name} of ${stackName}: ${driverErrorOf(e).message}`);
      });
    }
  }
}
