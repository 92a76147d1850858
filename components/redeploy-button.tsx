"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { redeployAction } from "@/lib/actions/build-actions";
import { DisabledAction } from "./disabled-action";

/** Queue a new deploy of this build's stored artifacts (no rebuild) and open it. */
export function RedeployButton({ app, stage, number, can = true, why = null }: { app: string; stage: string; number: number; can?: boolean; why?: string | null }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  if (!can) return <DisabledAction label="Redeploy" reason={why} />;
  const redeploy = () =>
    start(async () => {
      const result = await redeployAction({ app, stage, number });
      if (!result.ok) return setError(result.error);
      router.push(`/apps/${app}/stages/${stage}/builds/${result.data.number}`);
    });
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        onClick={redeploy}
        disabled={pending}
        className="rounded-md bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-60"
      >
        {pending ? "Queuing…" : "Redeploy"}
      </button>
      {error && <span role="alert" className="text-xs text-red-700">{error}</span>}
    </span>
  );
}
