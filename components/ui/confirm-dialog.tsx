"use client";

import { useId, useRef } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { DialogFooter } from "@/components/ui/action-dialog";
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
      <DialogFooter
        pending={pending}
        onCancel={onClose}
        cancelRef={cancelRef}
        confirm={{ label: confirmLabel, pendingLabel, tone: "red", onClick: onConfirm }}
      />
    </Dialog>
  );
}
