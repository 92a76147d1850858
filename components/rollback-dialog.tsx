"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { rollbackAction } from "@/lib/server/actions/build-actions";
import { apiGet, apiPaths, ApiError } from "@/lib/client/api-client";
import type { TRollbackPlanJson } from "@/lib/core/contracts";
import { useServerAction } from "@/lib/client/hooks/use-server-action";
import { queryKeys } from "@/lib/client/query-keys";
import { ErrorAlert } from "@/components/ui/alert";

const ACTION_STYLE: Record<string, string> = {
  update: "bg-blue-50 text-blue-700 ring-blue-600/20",
  create: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  remove: "bg-red-50 text-red-700 ring-red-600/20",
  unchanged: "bg-slate-50 text-slate-500 ring-slate-300",
};

/** The plan, computed by the server, shown before anything runs; Confirm queues ONE rollback build. */
export function RollbackDialog({ app, stage, number, onClose }: { app: string; stage: string; number: number; onClose: () => void }) {
  const router = useRouter();
  const { run, pending, error } = useServerAction(rollbackAction, {
    onSuccess: (data) => router.push(`/apps/${app}/stages/${stage}/builds/${data.number}`),
  });
  const confirmRef = useRef<HTMLButtonElement>(null);
  const plan = useQuery({
    queryKey: queryKeys.rollbackPlan(app, stage, number),
    queryFn: ({ signal }) => apiGet<{ plan: TRollbackPlanJson }>(apiPaths.rollbackPlan(app, stage, number), signal).then((r) => r.plan),
    staleTime: 0,
    retry: false,
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && !pending && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose, pending]);
  useEffect(() => {
    if (plan.data) confirmRef.current?.focus();
  }, [plan.data]);

  const confirm = () => run({ app, stage, number });

  const acting = plan.data?.steps.filter((s) => s.changes) ?? [];
  const unchanged = plan.data?.steps.filter((s) => !s.changes) ?? [];
  const blocking = plan.data?.blocking ?? [];
  const loadError = plan.error instanceof ApiError ? plan.error.message : plan.error ? "The plan could not be loaded." : null;

  return (
    <div
      className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 p-4"
      onMouseDown={(e) => e.target === e.currentTarget && !pending && onClose()}
    >
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="rollback-title"
        className="w-full max-w-lg rounded-xl bg-white shadow-xl ring-1 ring-slate-900/10"
      >
        <div className="border-b border-slate-200 px-5 py-4">
          <h2 id="rollback-title" className="text-base font-semibold text-slate-900">
            Roll back {stage} to #{number}?
          </h2>
          <p className="mt-1 text-sm text-slate-500">
            A new build redeploys the stored artifacts of #{number}, service by service, in the reverse order of the deployment.
          </p>
        </div>
        <div className="max-h-[60vh] space-y-4 overflow-y-auto px-5 py-4 text-sm">
          {plan.isPending && <p className="text-slate-500">Computing the plan…</p>}
          {loadError && <ErrorAlert>{loadError}</ErrorAlert>}
          {plan.data && (
            <>
              {plan.data.pending !== null && (
                <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-800">
                  Build #{plan.data.pending} is already rolling back to #{number}; Confirm takes you there.
                </p>
              )}
              <section>
                <h3 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">Order</h3>
                {acting.length ? (
                  <ol data-testid="rollback-plan" className="space-y-1.5">
                    {acting.map((s, i) => (
                      <li key={s.service} data-service={s.service} data-action={s.action} className="flex items-center gap-2">
                        <span className="w-5 text-right font-mono text-slate-400">{i + 1}.</span>
                        <span className="font-medium text-slate-900">{s.service}</span>
                        <span className={`rounded px-1.5 py-0.5 text-xs ring-1 ring-inset ${ACTION_STYLE[s.action]}`}>{s.action}</span>
                        <span className="text-xs text-slate-400">phase {s.phase}</span>
                        {s.after.length > 0 && <span className="truncate text-xs text-slate-400">after {s.after.join(", ")}</span>}
                      </li>
                    ))}
                  </ol>
                ) : (
                  <p className="text-slate-500">No service changes.</p>
                )}
              </section>
              {unchanged.length > 0 && (
                <p className="text-slate-500">
                  <span className="font-medium text-slate-700">Unchanged:</span> {unchanged.map((s) => s.service).join(", ")}
                </p>
              )}
              {plan.data.warnings.length > 0 && (
                <ul className="space-y-1 rounded-md bg-amber-50 px-3 py-2 text-amber-900">
                  {plan.data.warnings.map((w, i) => (
                    <li key={i}>⚠ {w.message}</li>
                  ))}
                </ul>
              )}
              {blocking.length > 0 && (
                <ul role="alert" className="space-y-1 rounded-md bg-red-50 px-3 py-2 text-red-800">
                  {blocking.map((b) => (
                    <li key={b.exportName}>
                      Blocked: export <span className="font-mono">{b.exportName}</span> is imported by {b.importers.join(", ")}, outside
                      this app.
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
          {error && <ErrorAlert>{error}</ErrorAlert>}
        </div>
        <div className="flex justify-end gap-2 border-t border-slate-200 px-5 py-3">
          <button
            type="button"
            onClick={onClose}
            disabled={pending}
            className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 disabled:opacity-50"
          >
            Cancel
          </button>
          <button
            ref={confirmRef}
            type="button"
            onClick={confirm}
            disabled={pending || !plan.data || blocking.length > 0}
            className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-slate-700 disabled:cursor-not-allowed disabled:opacity-50"
          >
            {pending ? "Rolling back…" : "Confirm rollback"}
          </button>
        </div>
      </div>
    </div>
  );
}
