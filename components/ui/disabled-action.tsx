"use client";

import { useState } from "react";

/**
 * An action the viewer cannot take, that says why rather than doing nothing: the reason is its
 * tooltip, and a click (or Enter) shows it under the button.
 */
export function DisabledAction({ label, reason, testId }: { label: string; reason: string | null; testId?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <span className="relative inline-flex">
      <button
        type="button"
        aria-disabled="true"
        title={reason ?? undefined}
        data-testid={testId}
        onClick={() => setOpen((v) => !v)}
        onBlur={() => setOpen(false)}
        className="cursor-not-allowed rounded-md px-2.5 py-1 text-xs font-medium text-slate-400 ring-1 ring-slate-200"
      >
        {label}
      </button>
      {open && (
        <span
          role="status"
          className="absolute top-full right-0 z-20 mt-1 w-64 rounded-md bg-slate-900 px-3 py-2 text-xs text-white shadow-lg"
        >
          {reason}
        </span>
      )}
    </span>
  );
}
