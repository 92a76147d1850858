"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { refreshStageAction } from "@/lib/server/actions/refresh-stage";
import { useServerAction } from "@/lib/client/hooks/use-server-action";
import { SMALL_BUTTON } from "@/components/ui/button";
import { DisabledAction } from "@/components/ui/disabled-action";
import { ErrorAlert } from "@/components/ui/alert";
import type { TDriftKind, TRefreshResult } from "@/lib/core/contracts";

const KIND_STYLE: Record<TDriftKind, string> = {
  changed: "bg-amber-50 text-amber-800 ring-amber-600/20",
  missing: "bg-red-50 text-red-700 ring-red-600/20",
  untracked: "bg-blue-50 text-blue-700 ring-blue-600/20",
  refused: "bg-slate-100 text-slate-700 ring-slate-600/20",
};

/** Reads the stage's stacks from its account; where they differ from Sprout's live state, records what is really deployed and lists it. */
export function RefreshStageButton({
  app,
  stage,
  can = true,
  why = null,
}: {
  app: string;
  stage: string;
  can?: boolean;
  why?: string | null;
}) {
  const router = useRouter();
  const [result, setResult] = useState<TRefreshResult | null>(null);
  const { run, pending, error } = useServerAction(refreshStageAction, {
    onSuccess: (data) => {
      setResult(data);
      router.refresh();
    },
  });
  if (!can) return <DisabledAction label="Refresh from account" reason={why} />;
  const refresh = () => run({ app, stage });
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" onClick={refresh} disabled={pending} className={SMALL_BUTTON}>
          {pending ? "Reading the account…" : "Refresh from account"}
        </button>
        {result && !pending && (
          <span className="text-xs text-slate-600">
            {result.drift.length
              ? `${result.drift.length} difference${result.drift.length > 1 ? "s" : ""} recorded`
              : "In sync: the account matches the live state"}{" "}
            · {new Date(result.refreshedAt).toLocaleTimeString()}
          </span>
        )}
      </div>
      {error && <ErrorAlert>{error}</ErrorAlert>}
      {result && result.drift.length > 0 && (
        <ul data-testid="stage-drift" className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
          {result.drift.map((d) => (
            <li key={d.service} className="flex flex-col gap-1 px-3 py-2 sm:flex-row sm:items-baseline sm:gap-3">
              <span className="flex shrink-0 items-center gap-2">
                <span className={`rounded px-1.5 py-0.5 text-xs ring-1 ring-inset ${KIND_STYLE[d.kind]}`}>{d.kind}</span>
                <span className="font-medium text-slate-900">{d.service}</span>
              </span>
              <span className="text-slate-600">{d.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
