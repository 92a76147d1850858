"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { rollbackAction } from "@/lib/server/actions/build-actions";
import { apiPaths } from "@/lib/client/api-client";
import type { TLiveJson, TRollbackPlanJson } from "@/lib/core/contracts";
import { planLoadError, usePlan } from "@/lib/client/hooks/use-plan";
import { useServerAction } from "@/lib/client/hooks/use-server-action";
import { queryKeys } from "@/lib/client/query-keys";
import { ErrorAlert } from "@/components/ui/alert";
import { ActionDialog, useConfirmFocus } from "@/components/ui/action-dialog";
import { BlockingCallout, CommitsUndone, DestructiveCallout, PlanWarnings } from "./plan-callouts";
import { PlanServices } from "./plan-services";
import { PartialPicker } from "./partial-picker";

export interface TRollbackDialogProps {
  app: string;
  stage: string;
  number: number;
  /** a protected stage (or prod): focus starts, and stays, on Cancel */
  guarded: boolean;
  /** what the page knows is live, until the plan says */
  live: TLiveJson | null;
  onClose: () => void;
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** One sentence for screen readers and skimmers: what changes and what is lost. */
function summary(plan: TRollbackPlanJson): string {
  const changing = plan.steps.filter((s) => s.changes).length;
  const parts = [`${count(changing, "service")} change`];
  parts.push(plan.commitsUndone.length ? `${count(plan.commitsUndone.length, "commit")} undone` : "no commit undone");
  if (plan.destructive.length)
    parts.push(
      `${plan.destructive.map((d) => d.service).join(", ")} ${plan.destructive.length === 1 ? "loses" : "lose"} resources for good`,
    );
  return `${parts.join("; ")}.`;
}

/** The plan, computed by the server, shown before anything runs; Confirm queues ONE rollback build. */
export function RollbackDialog({ app, stage, number, guarded, live, onClose }: TRollbackDialogProps) {
  const id = useId();
  const router = useRouter();
  const [reason, setReason] = useState("");
  // "only some services": the picked ones, planned by the server with those that must move with them
  const [only, setOnly] = useState(false);
  const [picked, setPicked] = useState<string[]>([]);
  const { run, pending, error } = useServerAction(rollbackAction, {
    onSuccess: (data) => router.push(`/apps/${app}/stages/${stage}/builds/${data.number}`),
  });
  const whole = usePlan<TRollbackPlanJson>(queryKeys.rollbackPlan(app, stage, number), apiPaths.rollbackPlan(app, stage, number));
  const partial = usePlan<TRollbackPlanJson>(
    queryKeys.rollbackPlan(app, stage, number, picked),
    apiPaths.rollbackPlan(app, stage, number, { services: picked }),
    only && picked.length > 0,
  );
  const plan = only ? partial : whole;
  const choices = (whole.data?.steps.filter((s) => s.changes).map((s) => s.service) ?? []).sort();
  const { cancelRef, confirmRef } = useConfirmFocus(guarded, plan.data);

  const current = plan.data?.live ?? live;
  const title = current ? `Roll back ${stage}: #${current.build} → #${number}` : `Roll back ${stage} to #${number}`;
  const blocking = plan.data?.blocking ?? [];
  const loadError = planLoadError(plan.error);
  const confirm = () => run({ app, stage, number, reason: reason.trim() || null, ...(only ? { services: picked } : {}) });

  return (
    <ActionDialog
      title={title}
      summary={
        <>
          A new build redeploys the stored artifacts of #{number}, consumers before producers.{" "}
          {plan.data ? summary(plan.data) : plan.isFetching ? "Computing the plan…" : ""}
        </>
      }
      summaryTestId="rollback-summary"
      testId="rollback-dialog"
      className="max-w-2xl"
      initialFocus={cancelRef}
      onClose={onClose}
      pending={pending}
      error={error}
      note={guarded ? `${stage} is protected: Enter does not confirm.` : null}
      cancelRef={cancelRef}
      confirmRef={confirmRef}
      confirm={{
        label: "Confirm rollback",
        pendingLabel: "Rolling back…",
        tone: "red",
        onClick: confirm,
        disabled: !plan.data || blocking.length > 0 || (only && picked.length === 0),
      }}
    >
      {choices.length > 1 && (
        <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
          <input type="checkbox" className="size-4" checked={only} onChange={(e) => setOnly(e.target.checked)} />
          Only some services
        </label>
      )}
      {only && (
        <PartialPicker
          choices={choices}
          picked={picked}
          onChange={setPicked}
          partial={partial.data?.partial ?? null}
          removed={partial.data?.steps.filter((s) => s.action === "remove").map((s) => s.service)}
        />
      )}
      {only && picked.length === 0 && <p className="text-slate-600">Pick the services to restore to #{number}.</p>}
      {loadError && <ErrorAlert>{loadError}</ErrorAlert>}
      {plan.data && (
        <>
          {plan.data.pending !== null && (
            <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900">
              Build #{plan.data.pending} is already rolling back to #{number}; Confirm takes you there.
            </p>
          )}
          <BlockingCallout plan={plan.data} />
          <DestructiveCallout plan={plan.data} />
          <CommitsUndone plan={plan.data} />
          <PlanServices steps={plan.data.steps} />
          <PlanWarnings plan={plan.data} />
        </>
      )}
      <label className="block text-sm font-medium text-slate-800" htmlFor={`${id}-reason`}>
        Reason <span className="font-normal text-slate-600">(optional, kept with the build and in the audit)</span>
        <textarea
          id={`${id}-reason`}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          rows={2}
          placeholder="Purchases fail since #13"
          className="mt-1 block w-full rounded-md border-0 bg-white px-3 py-1.5 text-sm text-slate-900 shadow-xs ring-1 ring-slate-400 ring-inset placeholder:text-slate-500 focus:ring-2 focus:ring-blue-500"
        />
      </label>
    </ActionDialog>
  );
}
