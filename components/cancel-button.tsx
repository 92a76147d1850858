"use client";

import { useQueryClient } from "@tanstack/react-query";
import { cancelAction } from "@/lib/server/actions/build-actions";
import { useServerAction } from "@/lib/client/hooks/use-server-action";
import { queryKeys } from "@/lib/client/query-keys";
import { DisabledAction } from "@/components/ui/disabled-action";

/** Cancel a queued build (at once) or a running one (its running steps are stopped within seconds); `why` when the viewer's role may not. */
export function CancelButton({
  app,
  stage,
  number,
  requested,
  can = true,
  why = null,
}: {
  app: string;
  stage: string;
  number: number;
  requested: boolean;
  can?: boolean;
  why?: string | null;
}) {
  const qc = useQueryClient();
  // refetched whatever the outcome: a refused cancel usually means the build moved on
  const { run, pending, error } = useServerAction(cancelAction, {
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.stage(app, stage) }),
  });
  if (!can) return <DisabledAction label="Cancel" ariaLabel={`Cancel build #${number}`} reason={why} />;
  const cancel = () => run({ app, stage, number });
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        onClick={cancel}
        aria-label={`Cancel build #${number}`}
        disabled={pending || requested}
        className="inline-flex min-h-11 items-center rounded-md bg-white px-2.5 py-1 text-xs font-medium text-red-700 shadow-sm ring-1 ring-red-300 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-blue-500 disabled:cursor-not-allowed disabled:opacity-60 sm:min-h-0"
      >
        {requested || pending ? "Canceling…" : "Cancel"}
      </button>
      {error && (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      )}
    </span>
  );
}
