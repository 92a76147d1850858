"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { promoteAction } from "@/lib/server/actions/release-actions";
import { apiPaths } from "@/lib/client/api-client";
import { planLoadError, usePlan } from "@/lib/client/hooks/use-plan";
import { useServerAction } from "@/lib/client/hooks/use-server-action";
import { queryKeys } from "@/lib/client/query-keys";
import { actorLabel } from "@/lib/core/roles";
import type { TPromotePlan } from "@/lib/core/contracts";
import { ErrorAlert } from "@/components/ui/alert";
import { ActionDialog, useConfirmFocus } from "@/components/ui/action-dialog";
import { TimeAgo } from "@/components/time-ago";
import { ServiceSteps } from "@/components/rollback/plan-services";

export interface TPromoteDialogProps {
  app: string;
  /** the build's own stage */
  stage: string;
  number: number;
  /** the stage it is promoted to */
  to: string;
  /** the target stage is protected (or prod): focus starts, and stays, on Cancel */
  guarded: boolean;
  onClose: () => void;
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The plan of a promote, computed by the server (CloudFormation's change sets on a cloudformation stage); Confirm queues ONE promote build. */
export function PromoteDialog({ app, stage, number, to, guarded, onClose }: TPromoteDialogProps) {
  const id = useId();
  const router = useRouter();
  const [force, setForce] = useState(false);
  const { run, pending, error } = useServerAction(promoteAction, {
    onSuccess: (data) => router.push(`/apps/${app}/stages/${to}/builds/${data.number}`),
  });
  const plan = usePlan<TPromotePlan>(queryKeys.promotePlan(app, stage, number, to), apiPaths.promotePlan(app, stage, number, to));
  const { cancelRef, confirmRef } = useConfirmFocus(guarded, plan.data);

  const p = plan.data;
  const acting = p?.steps.filter((s) => s.action !== "unchanged") ?? [];
  const unchanged = p?.steps.filter((s) => s.action === "unchanged") ?? [];
  const loadError = planLoadError(plan.error);
  const blocked = !p || p.blocking.length > 0 || (p.pinned !== null && !force);

  return (
    <ActionDialog
      title={`Promote ${stage} #${number} to ${to}`}
      summary={
        <>
          A new build on {to} deploys the artifacts of {stage} #{number} with {to}&apos;s parameter values; nothing is rebuilt.{" "}
          {p
            ? `${count(acting.length, "service")} ${acting.length === 1 ? "changes" : "change"}${p.resourcesFrom === "change-set" ? ", as CloudFormation computed it" : ""}.`
            : plan.isPending
              ? "Computing the plan…"
              : ""}
        </>
      }
      summaryTestId="promote-summary"
      testId="promote-dialog"
      className="max-w-2xl"
      initialFocus={cancelRef}
      onClose={onClose}
      pending={pending}
      error={error}
      note={guarded ? `${to} is protected: Enter does not confirm.` : null}
      cancelRef={cancelRef}
      confirmRef={confirmRef}
      confirm={{
        label: `Promote to ${to}`,
        pendingLabel: "Promoting…",
        tone: "blue",
        onClick: () => run({ app, stage, number, to, force }),
        disabled: blocked,
      }}
    >
      {loadError && <ErrorAlert>{loadError}</ErrorAlert>}
      {p?.pinned && (
        <div className="space-y-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-950" data-testid="promote-pinned">
          <p>
            {to} is pinned to #{p.pinned.build} after a rollback by {actorLabel(p.pinned.by)}, <TimeAgo iso={p.pinned.at} />. Promoting into
            it unpins it: pushes deploy again.
          </p>
          <label className="flex items-center gap-2 font-medium">
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} className="size-4" />
            Unpin {to} and promote
          </label>
        </div>
      )}
      {p?.requireApproval && (
        <p className="rounded-md bg-violet-50 px-3 py-2 text-violet-900">
          {to} requires approval: the build waits until a deployer other than you approves it.
        </p>
      )}
      {p?.blocking.map((b) => (
        <p key={b.exportName} role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-900">
          Blocked: export <span className="font-mono">{b.exportName}</span> of {b.service} is imported by {b.importers.join(", ")}, outside
          this app.
        </p>
      ))}
      {p && (
        <ServiceSteps
          acting={acting}
          unchanged={unchanged}
          titleId={`${id}-services`}
          testId="promote-plan"
          empty={`Every service is already as in #${number}: the build would change nothing.`}
          details={(s) => (
            <>
              {s.after.length > 0 && <span className="text-xs text-slate-600">after {s.after.join(", ")}</span>}
              {s.resourcesFrom === "change-set" && <span className="text-xs text-slate-600">(CloudFormation change set)</span>}
            </>
          )}
        />
      )}
      {p && p.warnings.length > 0 && (
        <ul className="list-disc space-y-1 rounded-lg border border-amber-300 bg-amber-50 py-2 pr-3 pl-8 text-amber-950">
          {p.warnings.map((w, i) => (
            <li key={i} title={w.message}>
              {w.plain}
            </li>
          ))}
        </ul>
      )}
    </ActionDialog>
  );
}
