"use client";

import { useState } from "react";
import { RollbackDialog } from "./rollback-dialog";

/**
 * Rollback on an eligible build. On an ineligible one the button is greyed and, pressed, says why
 * (failed, live now, ...) rather than doing nothing.
 */
export function RollbackButton({ app, stage, number, eligible, reason }: { app: string; stage: string; number: number; eligible: boolean; reason: string | null }) {
  const [open, setOpen] = useState(false);
  const [why, setWhy] = useState(false);
  if (!eligible) {
    return (
      <span className="relative inline-flex">
        <button
          type="button"
          aria-expanded={why}
          title={reason ?? undefined}
          onClick={() => setWhy((v) => !v)}
          onBlur={() => setWhy(false)}
          className="cursor-not-allowed rounded-md px-2.5 py-1 text-xs font-medium text-slate-400 ring-1 ring-slate-200"
        >
          Rollback
        </button>
        {why && (
          <span role="status" className="absolute top-full right-0 z-20 mt-1 w-64 rounded-md bg-slate-900 px-3 py-2 text-xs text-white shadow-lg">
            {reason}
          </span>
        )}
      </span>
    );
  }
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
