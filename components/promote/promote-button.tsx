"use client";

import { useState } from "react";
import type { TBuildStatus } from "@/lib/core/domain";
import { promoteRefusal } from "@/lib/core/promote";
import { isGuardedStage } from "@/lib/core/stages";
import { useHydrated } from "@/lib/client/hooks/use-now";
import { SMALL_BUTTON } from "@/components/ui/button";
import { DisabledAction } from "@/components/ui/disabled-action";
import { PromoteDialog } from "./promote-dialog";

/**
 * "Promote to prod" on a build, opening its plan; on a build that cannot be promoted, or for a
 * viewer, a button that says why. Nothing when the stage is the pipeline's last (`to` null).
 */
export function PromoteButton({
  app,
  stage,
  number,
  status,
  to,
  can = true,
  why = null,
}: {
  app: string;
  stage: string;
  number: number;
  status: TBuildStatus;
  to: string | null;
  can?: boolean;
  why?: string | null;
}) {
  const [open, setOpen] = useState(false);
  const hydrated = useHydrated();
  if (!to) return null;
  const label = `Promote to ${to}`;
  const name = `Promote ${stage} #${number} to ${to}`;
  if (!can) return <DisabledAction label={label} ariaLabel={name} reason={why} />;
  const refusal = promoteRefusal({ number, status }, stage);
  if (refusal) return <DisabledAction label={label} ariaLabel={name} reason={refusal} />;
  return (
    <>
      <button
        type="button"
        aria-label={name}
        aria-haspopup="dialog"
        disabled={!hydrated}
        onClick={() => setOpen(true)}
        className={`${SMALL_BUTTON} min-h-11 sm:min-h-0`}
      >
        {label}
      </button>
      {open && (
        <PromoteDialog
          app={app}
          stage={stage}
          number={number}
          to={to}
          guarded={isGuardedStage({ name: to, protected: false })}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
