"use client";

import { useEffect, useId, useRef, type RefObject } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Dialog } from "@/components/ui/dialog";

// The frame of a dialog that runs one action once confirmed (deploy, promote, roll back): a title
// and a one-sentence summary that describe it, a scrolling body ending with the action's error, and
// a footer with Cancel and the confirm button. Focus rules for a protected stage: `useConfirmFocus`.

const CANCEL =
  "min-h-11 rounded-md px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-500 disabled:opacity-60 sm:min-h-0";

const CONFIRM = {
  dark: "min-h-11 rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-500 disabled:cursor-not-allowed disabled:opacity-60 sm:min-h-0",
  blue: "min-h-11 rounded-md bg-blue-700 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-500 disabled:cursor-not-allowed disabled:opacity-60 sm:min-h-0",
  /** destructive: a rollback, a removal */
  red: "min-h-11 rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-500 disabled:cursor-not-allowed disabled:opacity-60 sm:min-h-0",
};

export interface TConfirmButton {
  label: string;
  pendingLabel: string;
  tone: keyof typeof CONFIRM;
  onClick?: () => void;
  /** the form's submit button (Enter in a field confirms) rather than a plain button */
  submit?: boolean;
  /** disabled besides while pending */
  disabled?: boolean;
}

/**
 * Focus starts on Cancel (the dialog's `initialFocus`). On a stage that is not guarded, the confirm
 * button takes it once there is something to confirm (`ready` turns truthy), unless the user moved
 * it; on a guarded one it stays on Cancel, so Enter never confirms.
 */
export function useConfirmFocus(guarded: boolean, ready: unknown) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!guarded && ready && document.activeElement === cancelRef.current) confirmRef.current?.focus();
  }, [guarded, ready]);
  return { cancelRef, confirmRef };
}

/** Cancel, then the confirm button; both disabled while the action runs. `note` (a protected stage's rule) sits on the left. */
export function DialogFooter({
  note = null,
  pending,
  onCancel,
  cancelRef,
  confirmRef,
  confirm,
}: {
  note?: string | null;
  pending: boolean;
  onCancel: () => void;
  cancelRef?: RefObject<HTMLButtonElement | null>;
  confirmRef?: RefObject<HTMLButtonElement | null>;
  confirm: TConfirmButton;
}) {
  return (
    <div className="flex flex-wrap items-center justify-end gap-2 border-t border-slate-200 px-5 py-3">
      {note && <p className="mr-auto text-xs text-slate-600">{note}</p>}
      <button ref={cancelRef} type="button" onClick={onCancel} disabled={pending} className={CANCEL}>
        Cancel
      </button>
      <button
        ref={confirmRef}
        type={confirm.submit ? "submit" : "button"}
        onClick={confirm.onClick}
        disabled={pending || confirm.disabled}
        className={CONFIRM[confirm.tone]}
      >
        {pending ? confirm.pendingLabel : confirm.label}
      </button>
    </div>
  );
}

/**
 * A modal `Dialog` (native <dialog>) labelled by `title` and described by `summary`; it may not be
 * dismissed while `pending`. With `onSubmit` its content is a form (the caller decides what Enter does).
 */
export function ActionDialog({
  title,
  summary,
  summaryTestId,
  testId,
  className,
  initialFocus,
  onClose,
  onSubmit,
  pending,
  error,
  note,
  cancelRef,
  confirmRef,
  confirm,
  children,
}: {
  title: React.ReactNode;
  summary: React.ReactNode;
  summaryTestId?: string;
  testId: string;
  /** the dialog's width, e.g. "max-w-2xl" */
  className: string;
  initialFocus: RefObject<HTMLElement | null>;
  onClose: () => void;
  onSubmit?: (e: React.FormEvent<HTMLFormElement>) => void;
  pending: boolean;
  /** the action's error, shown at the end of the body */
  error: string | null;
  note?: string | null;
  cancelRef?: RefObject<HTMLButtonElement | null>;
  confirmRef?: RefObject<HTMLButtonElement | null>;
  confirm: TConfirmButton;
  children: React.ReactNode;
}) {
  const id = useId();
  const content = (
    <>
      <div className="border-b border-slate-200 px-5 py-4">
        <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
          {title}
        </h2>
        <p id={`${id}-summary`} className="mt-1 text-sm text-slate-600" data-testid={summaryTestId}>
          {summary}
        </p>
      </div>
      <div className="min-h-0 flex-1 space-y-4 overflow-y-auto px-5 py-4 text-sm">
        {children}
        {error && <ErrorAlert>{error}</ErrorAlert>}
      </div>
      <DialogFooter note={note} pending={pending} onCancel={onClose} cancelRef={cancelRef} confirmRef={confirmRef} confirm={confirm} />
    </>
  );
  const frame = "flex max-h-[calc(100dvh-2rem)] flex-col text-left";
  return (
    <Dialog
      labelledBy={`${id}-title`}
      describedBy={`${id}-summary`}
      initialFocus={initialFocus}
      onClose={onClose}
      dismissable={!pending}
      className={className}
      testId={testId}
    >
      {onSubmit ? (
        <form className={frame} onSubmit={onSubmit}>
          {content}
        </form>
      ) : (
        <div className={frame}>{content}</div>
      )}
    </Dialog>
  );
}
