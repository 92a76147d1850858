"use client";

import { useQueryClient } from "@tanstack/react-query";
import { unpinAction } from "@/lib/server/actions/release-actions";
import { useServerAction } from "@/lib/client/hooks/use-server-action";
import { queryKeys } from "@/lib/client/query-keys";
import { actorLabel, permit, type TAccess } from "@/lib/core/roles";
import type { TPinJson } from "@/lib/core/contracts";
import { SMALL_BUTTON } from "@/components/ui/button";
import { DisabledAction } from "@/components/ui/disabled-action";
import { TimeAgo } from "@/components/time-ago";
import { PinIcon } from "./pin-icon";

/** "Pinned to #12 after a rollback by ada@…, 5 min ago — Unpin": why pushes do not deploy here, and the way out. */
export function PinBanner({ app, stage, pinned, access }: { app: string; stage: string; pinned: TPinJson; access: TAccess }) {
  const qc = useQueryClient();
  const { run, pending, error } = useServerAction(unpinAction, {
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.stage(app, stage) }),
  });
  const may = permit(access, "unpin");
  return (
    <div
      role="status"
      data-testid="pin-banner"
      className="mb-5 flex flex-wrap items-start gap-3 rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950"
    >
      <PinIcon className="mt-0.5 size-4 shrink-0 text-amber-700" />
      <div className="min-w-0 flex-1 space-y-1">
        <p className="font-medium">
          Pinned to #{pinned.build} after a rollback{pinned.by ? ` by ${actorLabel(pinned.by)}` : ""}, <TimeAgo iso={pinned.at} />
          {pinned.rollback !== null ? ` (build #${pinned.rollback})` : ""}.
        </p>
        {pinned.reason && <p>Reason: {pinned.reason}</p>}
        <p className="text-amber-900">
          Pushes are skipped, and a deploy or promote into {stage} needs force, which unpins it. Unpin once the incident is over.
        </p>
        {error && (
          <p role="alert" className="text-red-700">
            {error}
          </p>
        )}
      </div>
      {may.can ? (
        <button type="button" disabled={pending} onClick={() => run({ app, stage })} className={SMALL_BUTTON}>
          {pending ? "Unpinning…" : "Unpin"}
        </button>
      ) : (
        <DisabledAction label="Unpin" reason={may.why} />
      )}
    </div>
  );
}
