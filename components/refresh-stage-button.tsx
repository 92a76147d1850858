"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { refreshStageAction } from "@/lib/actions/refresh-stage";
import type { TDriftKind, TRefreshResult } from "@/lib/operations/refresh-stage";
import { DisabledAction } from "./disabled-action";

const KIND_STYLE: Record<TDriftKind, string> = {
  changed: "bg-amber-50 text-amber-800 ring-amber-600/20",
  missing: "bg-red-50 text-red-700 ring-red-600/20",
  untracked: "bg-blue-50 text-blue-700 ring-blue-600/20",
};

/** Reads the stage's stacks from its account; where they differ from Sprout's live state, records what is really deployed and lists it. */
export function RefreshStageButton({ app, stage, can = true, why = null }: { app: string; stage: string; can?: boolean; why?: string | null }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<TRefreshResult | null>(null);
  if (!can) return <DisabledAction label="Refresh from account" reason={why} />;
  const refresh = () =>
    start(async () => {
      setError(null);
      const answer = await refreshStageAction({ app, stage });
      if (!answer.ok) return setError(answer.error);
      setResult(answer.data);
      router.refresh();
    });
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={refresh}
          disabled={pending}
          className="rounded-md bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-blue-500 disabled:opacity-60"
        >
          {pending ? "Reading the account…" : "Refresh from account"}
        </button>
        {result && !pending && (
          <span className="text-xs text-slate-500">
            {result.drift.length ? `${result.drift.length} difference${result.drift.length > 1 ? "s" : ""} recorded` : "In sync: the account matches the live state"} ·{" "}
            {new Date(result.refreshedAt).toLocaleTimeString()}
          </span>
        )}
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
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
