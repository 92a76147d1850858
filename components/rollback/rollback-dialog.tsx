"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { rollbackAction } from "@/lib/server/actions/build-actions";
import { apiGet, apiPaths, ApiError } from "@/lib/client/api-client";
import type { TLiveJson, TRollbackPlanJson } from "@/lib/core/contracts";
import { useServerAction } from "@/lib/client/hooks/use-server-action";
import { queryKeys } from "@/lib/client/query-keys";
import { ErrorAlert } from "@/components/ui/alert";
import { Dialog } from "@/components/ui/dialog";
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
  const cancelRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const whole = useQuery({
    queryKey: queryKeys.rollbackPlan(app, stage, number),
    queryFn: ({ signal }) => apiGet<{ plan: TRollbackPlanJson }>(apiPaths.rollbackPlan(app, stage, number), signal).then((r) => r.plan),
    staleTime: 0,
    retry: false,
  });
  const partial = useQuery({
    queryKey: queryKeys.rollbackPlan(app, stage, number, picked),
    queryFn: ({ signal }) =>
      apiGet<{ plan: TRollbackPlanJson }>(apiPaths.rollbackPlan(app, stage, number, { services: picked }), signal).then((r) => r.plan),
    enabled: only && picked.length > 0,
    staleTime: 0,
    retry: false,
  });
  const plan = only ? partial : whole;
  const choices = (whole.data?.steps.filter((s) => s.changes).map((s) => s.service) ?? []).sort();
  // an unguarded stage: Confirm takes focus once there is a plan to confirm, unless the user moved it
  useEffect(() => {
    if (!guarded && plan.data && document.activeElement === cancelRef.current) confirmRef.current?.focus();
  }, [guarded, plan.data]);

  const current = plan.data?.live ?? live;
  const title = current ? `Roll back ${stage}: #${current.build} → #${number}` : `Roll back ${stage} to #${number}`;
  const blocking = plan.data?.blocking ?? [];
  const loadError = plan.error instanceof ApiError ? plan.error.message : plan.error ? "The plan could not be loaded." : null;
  const confirm = () => run({ app, stage, number, reason: reason.trim() || null, ...(only ? { services: picked } : {}) });

  return (
    <Dialog
      labelledBy={`${id}-title`}
      describedBy={`${id}-summary`}
      initialFocus={cancelRef}
      onClose={onClose}
      dismissable={!pending}
      className="max-w-2xl"
      testId="rollback-dialog"
    >
      <div className="flex max-h-[calc(100dvh-2rem)] flex-col text-left">
        <div className="border-b border-slate-200 px-5 py-4">
          <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          <p id={`${id}-summary`} className="mt-1 text-sm text-slate-600" data-testid="rollback-summary">
            A new build redeploys the stored artifacts of #{number}, consumers before producers.{" "}
            {plan.data ? summary(plan.data) : plan.isFetching ? "Computing the plan…" : ""}
          </p>
        </div>
        <div className="min-h-0 flex-1 space-y-4 overflow-y-auto px-5 py-4 text-sm">
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
          {error && <ErrorAlert>{error}</ErrorAlert>}
        </div>
        <div className="flex flex-wrap items-center justify-end gap-2 border-t border-slate-200 px-5 py-3">
          {guarded && <p className="mr-auto text-xs text-slate-600">{stage} is protected: Enter does not confirm.</p>}
          <button
            ref={cancelRef}
            type="button"
            onClick={onClose}
            disabled={pending}
            className="min-h-11 rounded-md px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-500 disabled:opacity-60 sm:min-h-0"
          >
            Cancel
          </button>
          <button
            ref={confirmRef}
            type="button"
            onClick={confirm}
            disabled={pending || !plan.data || blocking.length > 0 || (only && picked.length === 0)}
            className="min-h-11 rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-500 disabled:cursor-not-allowed disabled:opacity-60 sm:min-h-0"
          >
            {pending ? "Rolling back…" : "Confirm rollback"}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
