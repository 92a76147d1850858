"use client";

import { useRouter } from "next/navigation";
import { redeployAction } from "@/lib/server/actions/build-actions";
import { useServerAction } from "@/lib/client/hooks/use-server-action";
import { SMALL_BUTTON_BASE } from "@/components/ui/button";
import { DisabledAction } from "@/components/ui/disabled-action";

/** Queue a new deploy of this build's stored artifacts (no rebuild) and open it. */
export function RedeployButton({
  app,
  stage,
  number,
  can = true,
  why = null,
}: {
  app: string;
  stage: string;
  number: number;
  can?: boolean;
  why?: string | null;
}) {
  const router = useRouter();
  const { run, pending, error } = useServerAction(redeployAction, {
    onSuccess: (data) => router.push(`/apps/${app}/stages/${stage}/builds/${data.number}`),
  });
  if (!can) return <DisabledAction label="Redeploy" reason={why} />;
  const redeploy = () => run({ app, stage, number });
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" onClick={redeploy} disabled={pending} className={`${SMALL_BUTTON_BASE} disabled:opacity-60`}>
        {pending ? "Queuing…" : "Redeploy"}
      </button>
      {error && (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      )}
    </span>
  );
}
