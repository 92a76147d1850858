"use client";

import { useState } from "react";
import { useHydrated } from "@/lib/client/hooks/use-now";
import { SMALL_BUTTON } from "@/components/ui/button";

/**
 * A small button that opens a dialog, mounted while open (`dialog` gets the function that closes
 * it). Rendered by the server, it does nothing until the page's script runs: it stays disabled
 * until then rather than drop the click.
 */
export function DialogButton({
  label,
  ariaLabel,
  dialog,
}: {
  label: string;
  /** the button's own name when `label` alone is ambiguous in a list ("Roll back prod to #12") */
  ariaLabel?: string;
  dialog: (close: () => void) => React.ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const hydrated = useHydrated();
  return (
    <>
      <button
        type="button"
        aria-label={ariaLabel}
        aria-haspopup="dialog"
        disabled={!hydrated}
        onClick={() => setOpen(true)}
        className={`${SMALL_BUTTON} min-h-11 sm:min-h-0`}
      >
        {label}
      </button>
      {open && dialog(() => setOpen(false))}
    </>
  );
}
