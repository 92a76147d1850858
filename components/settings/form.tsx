"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { TActionResult } from "@/lib/core/contracts";

// The pieces of a settings form saved with one button (the stage's deploy and source settings):
// labelled fields with a hint, a checkbox with a hint, why a viewer may not change it, and the
// Save button with the outcome next to it (announced: an error as an alert, success as a status).

export const INPUT =
  "mt-1 block w-full rounded-md border-0 bg-white px-3 py-1.5 text-sm text-slate-900 shadow-xs ring-1 ring-slate-300 ring-inset placeholder:text-slate-500 focus:ring-2 focus:ring-blue-500";

export interface TSaveMessage {
  ok: boolean;
  text: string;
}

/** Runs `action` in a transition; on success shows `savedText` and refreshes the page's server data. */
export function useSaveForm<I>(action: (input: I) => Promise<TActionResult<unknown>>, savedText: string) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<TSaveMessage | null>(null);
  const save = (input: I) =>
    start(async () => {
      setMessage(null);
      const result = await action(input);
      if (!result.ok) return setMessage({ ok: false, text: result.error });
      setMessage({ ok: true, text: savedText });
      router.refresh();
    });
  return { pending, message, save };
}

/**
 * A text input under its label, with a hint below; given `hintId`, the hint describes the input. The
 * hint is outside the label, so that the input's name is the label alone ("Endpoint", not its hint too).
 */
export function TextField({
  label,
  hint,
  hintId,
  className,
  ...input
}: { id: string; label: string; hint: React.ReactNode; hintId?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div>
      <label className="block text-sm font-medium text-slate-800" htmlFor={input.id}>
        {label}
        <input aria-describedby={hintId} {...input} className={className ? `${INPUT} ${className}` : INPUT} />
      </label>
      <span id={hintId} className="mt-1 block text-xs font-normal text-slate-600">
        {hint}
      </span>
    </div>
  );
}

/** A time limit in minutes under its label (fractions of a minute allowed). */
export function MinutesField(props: Omit<Parameters<typeof TextField>[0], "type" | "inputMode" | "min" | "step" | "className">) {
  return <TextField {...props} type="number" inputMode="decimal" min="0" step="any" className="tabular-nums" />;
}

/** The minutes typed, as the settings action takes them: NaN when blank, so that the action names the field. */
export const minutesOf = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

/** A checkbox with its title and a hint that describes it (`hintId`). */
export function CheckboxField({
  title,
  hint,
  hintId,
  ...input
}: { title: string; hint: React.ReactNode; hintId: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="flex items-start gap-2 text-sm text-slate-700">
      <input type="checkbox" {...input} aria-describedby={hintId} className="mt-0.5 size-4 accent-slate-900" />
      <span>
        <span className="font-medium text-slate-900">{title}</span>
        <span id={hintId} className="block text-xs text-slate-600">
          {hint}
        </span>
      </span>
    </label>
  );
}

/** Why the viewer may not change these settings (the form below is disabled). */
export function ReadOnlyNote({ testId, children }: { testId: string; children: React.ReactNode }) {
  return (
    <p data-testid={testId} className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600 ring-1 ring-slate-200">
      {children}
    </p>
  );
}

/** The submit button and, at `statusId` (the form's aria-describedby), what the last save said. */
export function SaveFooter({
  label,
  pending,
  disabled,
  message,
  statusId,
}: {
  label: string;
  pending: boolean;
  disabled: boolean;
  message: TSaveMessage | null;
  statusId: string;
}) {
  return (
    <div className="flex items-center gap-3">
      <button
        type="submit"
        disabled={pending || disabled}
        className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-blue-500 disabled:opacity-60"
      >
        {pending ? "Saving…" : label}
      </button>
      <span
        id={statusId}
        role={message && !message.ok ? "alert" : "status"}
        className={`text-sm ${message?.ok ? "text-emerald-700" : "text-red-700"}`}
      >
        {message?.text}
      </span>
    </div>
  );
}
