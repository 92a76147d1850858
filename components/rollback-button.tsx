"use client";

import { useState } from "react";
import { SMALL_BUTTON_BASE } from "@/components/ui/button";
import { DisabledAction } from "@/components/ui/disabled-action";
import { RollbackDialog } from "./rollback-dialog";

/**
 * Rollback on an eligible build; otherwise a button that says why instead of doing nothing: the
 * viewer's role (`can`/`why`) first, then the build's eligibility (`eligible`/`reason`).
 */
export function RollbackButton({
  app,
  stage,
  number,
  eligible,
  reason,
  can = true,
  why = null,
}: {
  app: string;
  stage: string;
  number: number;
  eligible: boolean;
  reason: string | null;
  can?: boolean;
  why?: string | null;
}) {
  const [open, setOpen] = useState(false);
  if (!can) return <DisabledAction label="Rollback" reason={why} testId="rollback-forbidden" />;
  if (!eligible) return <DisabledAction label="Rollback" reason={reason} />;
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} className={SMALL_BUTTON_BASE}>
        Rollback
      </button>
      {open && <RollbackDialog app={app} stage={stage} number={number} onClose={() => setOpen(false)} />}
    </>
  );
}
