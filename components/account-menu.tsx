"use client";
import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { SignOutButton } from "./sign-out-button";

/** Who is signed in, as a menu: the account page and sign out, the same at every width. */
export function AccountMenu({ email, isAdmin }: { email: string; isAdmin: boolean }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => !ref.current?.contains(e.target as Node) && setOpen(false);
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("pointerdown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);
  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        onClick={() => setOpen((v) => !v)}
        className="flex min-h-11 max-w-[14rem] items-center gap-1.5 rounded px-2 text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-500 sm:min-h-9"
      >
        <span className="sr-only">Account: </span>
        <span data-testid="signed-in-as" className="hidden truncate sm:inline">
          {email}
        </span>
        <svg aria-hidden viewBox="0 0 20 20" className="size-5 shrink-0 sm:hidden" fill="none" stroke="currentColor" strokeWidth="1.6">
          <circle cx="10" cy="7" r="3.2" />
          <path d="M3.5 17c1.2-3 3.6-4.5 6.5-4.5s5.3 1.5 6.5 4.5" strokeLinecap="round" />
        </svg>
        <svg aria-hidden viewBox="0 0 12 12" className="size-3 shrink-0" fill="currentColor">
          <path d="M2.5 4.5 6 8l3.5-3.5z" />
        </svg>
      </button>
      {open && (
        <div
          id={`${id}-menu`}
          className="absolute top-full right-0 z-40 mt-1 w-64 rounded-lg bg-white p-1 text-sm shadow-lg ring-1 ring-slate-900/10"
        >
          <p className="truncate px-3 py-2 text-xs text-slate-600">
            Signed in as <span className="font-medium text-slate-900">{email}</span>
            {isAdmin && " · instance admin"}
          </p>
          <Link
            href="/account"
            onClick={() => setOpen(false)}
            className="flex min-h-11 items-center rounded px-3 text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-500 sm:min-h-9"
          >
            Your account
          </Link>
          <SignOutButton className="flex min-h-11 w-full items-center rounded px-3 text-left text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-500 disabled:opacity-60 sm:min-h-9" />
        </div>
      )}
    </div>
  );
}
