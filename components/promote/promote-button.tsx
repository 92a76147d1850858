"use client";

import type { TBuildStatus } from "@/lib/core/domain";
import { promoteRefusal } from "@/lib/core/promote";
import { isGuardedStage } from "@/lib/core/stages";
import { DialogButton } from "@/components/ui/dialog-button";
import { DisabledAction } from "@/components/ui/disabled-action";
import { PromoteDialog } from "./promote-dialog";

/**
 * "Promote to prod" on a build ("Promote to prod from dev #5" by name), opening its plan; on a build that cannot be promoted, or for a
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
  if (!to) return null;
  const label = `Promote to ${to}`;
  // its own name in a list of builds, with the visible words in it (as speech control users say them)
  const name = `Promote to ${to} from ${stage} #${number}`;
  if (!can) return <DisabledAction label={label} ariaLabel={name} reason={why} />;
  const refusal = promoteRefusal({ number, status }, stage);
  if (refusal) return <DisabledAction label={label} ariaLabel={name} reason={refusal} />;
  return (
    <DialogButton
      label={label}
      ariaLabel={name}
      dialog={(close) => (
        <PromoteDialog
          app={app}
          stage={stage}
          number={number}
          to={to}
          guarded={isGuardedStage({ name: to, protected: false })}
          onClose={close}
        />
      )}
    />
  );
}
