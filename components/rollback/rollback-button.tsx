"use client";

import type { TLiveJson } from "@/lib/core/contracts";
import { DialogButton } from "@/components/ui/dialog-button";
import { DisabledAction } from "@/components/ui/disabled-action";
import { RollbackDialog } from "./rollback-dialog";

export interface TRollbackButtonProps {
  app: string;
  stage: string;
  number: number;
  eligible: boolean;
  reason: string | null;
  /** the dialog opens on Cancel (a protected stage, or prod) */
  guarded: boolean;
  live: TLiveJson | null;
  can?: boolean;
  why?: string | null;
}

/**
 * Roll back on an eligible build; otherwise a button that says why instead of doing nothing: the
 * viewer's role (`can`/`why`) first, then the build's eligibility (`eligible`/`reason`). Each has
 * its own name ("Roll back prod to #12"): a history lists many.
 */
export function RollbackButton({ app, stage, number, eligible, reason, guarded, live, can = true, why = null }: TRollbackButtonProps) {
  const name = `Roll back ${stage} to #${number}`;
  if (!can) return <DisabledAction label="Roll back" ariaLabel={name} reason={why} testId="rollback-forbidden" />;
  if (!eligible) return <DisabledAction label="Roll back" ariaLabel={name} reason={reason} />;
  return (
    <DialogButton
      label="Roll back"
      ariaLabel={name}
      dialog={(close) => <RollbackDialog app={app} stage={stage} number={number} guarded={guarded} live={live} onClose={close} />}
    />
  );
}
