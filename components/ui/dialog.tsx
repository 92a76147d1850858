"use client";

import { useEffect, useRef, type RefObject } from "react";

const FOCUSABLE = 'a[href], button, input, textarea, select, summary, [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog: the native `<dialog>` opened with showModal(), so focus stays inside and the page
 * behind is inert (and does not scroll: app/globals.css). Escape, a click on the backdrop and the
 * caller's Cancel all call `onClose`; when it closes, focus returns to the element that had it
 * when it opened (the button that opened it). `initialFocus` is where focus starts: name a safe
 * choice (Cancel) for anything destructive. Rendered open: mount it when it should show.
 */
export function Dialog({
  labelledBy,
  describedBy,
  initialFocus,
  onClose,
  dismissable = true,
  className = "",
  children,
  testId,
}: {
  labelledBy: string;
  describedBy?: string;
  initialFocus?: RefObject<HTMLElement | null>;
  onClose: () => void;
  /** false while something runs: Escape and the backdrop do nothing */
  dismissable?: boolean;
  className?: string;
  children: React.ReactNode;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const latest = useRef({ onClose, dismissable });
  useEffect(() => {
    latest.current = { onClose, dismissable };
  });

  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    (initialFocus?.current ?? dialog).focus();
    // Escape: the browser would close the dialog by itself; the caller decides instead
    const onCancel = (e: Event) => {
      e.preventDefault();
      if (latest.current.dismissable) latest.current.onClose();
    };
    dialog.addEventListener("cancel", onCancel);
    return () => {
      dialog.removeEventListener("cancel", onCancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
    // opened once per mount: focus moves only when it opens
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Tab wraps inside: a modal <dialog> keeps focus off the page, but not off the browser's own UI
  const onKeyDown = (e: React.KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== "Tab") return;
    const focusable = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) => !el.hasAttribute("disabled") && el.getClientRects().length > 0,
    );
    if (focusable.length === 0) return;
    const [first, last] = [focusable[0]!, focusable.at(-1)!];
    const active = document.activeElement;
    if (e.shiftKey && (active === first || active === e.currentTarget)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      onKeyDown={onKeyDown}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      data-testid={testId}
      tabIndex={-1}
      // the dialog element itself is the backdrop's hit target: its content never fills it
      onClick={(e) => e.target === e.currentTarget && latest.current.dismissable && latest.current.onClose()}
      className={`m-auto max-h-[calc(100dvh-2rem)] w-[calc(100%-2rem)] overflow-hidden rounded-xl bg-white p-0 text-slate-900 shadow-xl ring-1 ring-slate-900/10 outline-none backdrop:bg-slate-900/50 ${className}`}
    >
      {children}
    </dialog>
  );
}
