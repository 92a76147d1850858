// Pieces of the demo's replay (prisma/demo.ts): the CloudFormation-style events of a step, and the
// rows a replayed build is stored as.
import { canonicalJson } from "@/lib/core/templates";
import type { TDeployAction } from "@/lib/core/domain";
import type { Prisma } from "@/lib/server/db";

export type TResources = Map<string, { Type: string }>;
export const ansi = (code: number, text: string) => `\x1b[${code}m${text}\x1b[0m`;

/** CloudFormation's stack events for moving a stack's resources from `before` (null: create) to `next`. */
export function stackEvents(stack: string, before: TResources | null, next: TResources, fail?: string): string[] {
  const old: TResources = before ?? new Map();
  const line = (status: string, type: string, id: string, reason = "") => `${status} ${type} ${id}${reason && ` ${reason}`}`;
  const stackLine = (status: string, reason?: string) => line(status, "AWS::CloudFormation::Stack", stack, reason);
  const verb = before ? "UPDATE" : "CREATE";
  const out = [stackLine(`${verb}_IN_PROGRESS`, "User Initiated")];
  const changed = [...next].filter(([id, r]) => !old.has(id) || canonicalJson(old.get(id)) !== canonicalJson(r));
  const op = (id: string) => (old.has(id) ? "UPDATE" : "CREATE");
  if (fail) {
    // The demo's failures are Lambda errors: the first new function fails, then CloudFormation
    // undoes what it had done, so the stack ends as it was (as the sandbox's `fail` does).
    const at = Math.max(
      0,
      changed.findIndex(([id, r]) => !old.has(id) && r.Type === "AWS::Lambda::Function"),
    );
    const [done, [id, r] = [...next][0]!] = [changed.slice(0, at), changed[at]];
    for (const [d, dr] of done) out.push(line(`${op(d)}_IN_PROGRESS`, dr.Type, d), line(`${op(d)}_COMPLETE`, dr.Type, d));
    out.push(line(`${op(id)}_IN_PROGRESS`, r.Type, id), ansi(31, line(`${op(id)}_FAILED`, r.Type, id, fail)));
    const rollback = before ? "UPDATE_ROLLBACK" : "ROLLBACK";
    out.push(stackLine(`${rollback}_IN_PROGRESS`, `The following resource(s) failed to ${op(id).toLowerCase()}: [${id}].`));
    for (const [d, dr] of done.filter(([d]) => old.has(d)).reverse())
      out.push(line("UPDATE_IN_PROGRESS", dr.Type, d), line("UPDATE_COMPLETE", dr.Type, d));
    if (before) out.push(stackLine("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"));
    for (const [d, dr] of [...done, [id, r] as const].filter(([d]) => !old.has(d)).reverse()) out.push(line("DELETE_COMPLETE", dr.Type, d));
    return [...out, ansi(33, stackLine(`${rollback}_COMPLETE`))];
  }
  for (const [id, r] of changed) out.push(line(`${op(id)}_IN_PROGRESS`, r.Type, id), line(`${op(id)}_COMPLETE`, r.Type, id));
  if (before) out.push(stackLine("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"));
  for (const [id, r] of [...old].filter(([id]) => !next.has(id)))
    out.push(line("DELETE_IN_PROGRESS", r.Type, id), line("DELETE_COMPLETE", r.Type, id));
  return [...out, ansi(32, stackLine(`${verb}_COMPLETE`))];
}

/** CloudFormation's stack events for deleting a stack and its resources. */
export function removeEvents(stack: string, resources: TResources): string[] {
  return [
    `DELETE_IN_PROGRESS AWS::CloudFormation::Stack ${stack} User Initiated`,
    ...[...resources].flatMap(([id, r]) => [`DELETE_IN_PROGRESS ${r.Type} ${id}`, `DELETE_COMPLETE ${r.Type} ${id}`]),
    ansi(32, `DELETE_COMPLETE AWS::CloudFormation::Stack ${stack}`),
  ];
}

export type TLogRow = { service: string; time: Date; text: string };
export type TStepRow = {
  key: string;
  service: string;
  action: TDeployAction;
  phase: number;
  after: string[];
  position: number;
  artifactDigest: string | null;
  status: "unchanged" | "skipped" | "success" | "failed";
  error?: string;
  startedAt?: Date;
  finishedAt?: Date;
};
/** A replayed build as its row is stored (its release: the live state at its end). */
export type TBuildRow = {
  number: number;
  kind: "deploy" | "rollback" | "promote";
  trigger: "push" | "rollback" | "promote";
  rollbackOf: number | null;
  reason: string | null;
  promotedFromStage: string | null;
  promotedFromNumber: number | null;
  status: "success" | "failed";
  commitSha: string;
  commitMessage: string;
  commitAuthor: string;
  commitBranch: string;
  triggeredBy: string;
  target: Record<string, string>;
  warnings: Prisma.InputJsonValue;
  release: Record<string, string>;
  error: string | null;
  logSeq: number;
  createdAt: Date;
  startedAt: Date;
  finishedAt: Date;
};
