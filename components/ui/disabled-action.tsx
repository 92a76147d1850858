"use client";

import { useId, useState } from "react";
import { useHydrated } from "@/lib/client/hooks/use-now";

/**
 * An action the viewer cannot take, that says why rather than doing nothing: the reason is its
 * tooltip and its description, and a click (or Enter) shows it under the button. It looks unlike
 * an enabled button by more than tint: a dashed outline, no fill or shadow, and a "not allowed" mark.
 */
export function DisabledAction({
  label,
  reason,
  testId,
  ariaLabel,
}: {
  label: string;
  reason: string | null;
  testId?: string;
  /** the button's own name when `label` alone is ambiguous in a list ("Roll back prod to #12") */
  ariaLabel?: string;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  // a press before the page's script runs shows nothing yet: tests (and scripts) wait for this mark
  const hydrated = useHydrated();
  return (
    <span className="relative inline-flex">
      <button
        type="button"
        aria-disabled="true"
        aria-label={ariaLabel}
        aria-describedby={reason ? `${id}-why` : undefined}
        title={reason ?? undefined}
        data-testid={testId}
        data-hydrated={hydrated ? "" : undefined}
        onClick={() => setOpen((v) => !v)}
        onBlur={() => setOpen(false)}
        className="inline-flex min-h-11 cursor-not-allowed items-center gap-1 rounded-md border border-dashed border-slate-400 px-2.5 py-1 text-xs font-medium text-slate-600 focus-visible:outline-2 focus-visible:outline-blue-500 sm:min-h-0"
      >
        <svg aria-hidden viewBox="0 0 16 16" className="size-3" fill="none" stroke="currentColor" strokeWidth="1.6">
          <circle cx="8" cy="8" r="6" />
          <path d="m4 12 8-8" />
        </svg>
        {label}
      </button>
      {reason && (
        <span id={`${id}-why`} className="sr-only">
          {reason}
        </span>
      )}
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
