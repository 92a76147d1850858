"use client";

import { useId, useRef } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Dialog } from "@/components/ui/dialog";

/**
 * "Are you sure?" for an action that breaks something others rely on: it opens on Cancel, so Enter
 * never confirms, and stays open (with the error) when the action fails.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  pendingLabel,
  pending,
  error,
  onConfirm,
  onClose,
  testId,
}: {
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
  onClose: () => void;
  testId?: string;
}) {
  const id = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      labelledBy={`${id}-title`}
      describedBy={`${id}-body`}
      initialFocus={cancelRef}
      onClose={onClose}
      dismissable={!pending}
      className="max-w-md"
      testId={testId}
    >
      <div className="space-y-3 px-5 py-4 text-left">
        <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
          {title}
        </h2>
        <div id={`${id}-body`} className="space-y-2 text-sm text-slate-700">
          {children}
        </div>
        {error && <ErrorAlert>{error}</ErrorAlert>}
      </div>
      <div className="flex justify-end gap-2 border-t border-slate-200 px-5 py-3">
        <button
          ref={cancelRef}
          type="button"
          onClick={onClose}
          disabled={pending}
          className="min-h-11 rounded-md px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-500 disabled:opacity-60 sm:min-h-0"
        >
          Cancel
        </button>
        <button
          type="button"
          onClick={onConfirm}
          disabled={pending}
          className="min-h-11 rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-500 disabled:opacity-60 sm:min-h-0"
        >
          {pending ? pendingLabel : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
