"use client";

import { useState } from "react";
import { DisabledAction } from "./disabled-action";
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
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="rounded-md bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
      >
        Rollback
      </button>
      {open && <RollbackDialog app={app} stage={stage} number={number} onClose={() => setOpen(false)} />}
    </>
  );
}
