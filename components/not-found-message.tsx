import Link from "next/link";
import { CurrentPath } from "@/components/current-path";

/** The 404 for an app, stage or build that does not exist (or that the account has no role on). */
export function NotFoundMessage() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center" data-testid="not-found">
      <p className="text-sm font-semibold text-emerald-800">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">Nothing here</h1>
      <p className="mt-3 text-sm text-slate-600">
        No app, stage or build lives at <CurrentPath className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800" />. It
        may have been mistyped, never existed, or belong to an app your account has no role on.
      </p>
      <Link
        href="/"
        className="mt-6 inline-flex min-h-11 items-center rounded-lg bg-slate-900 px-3.5 py-2 text-sm font-medium text-white shadow-xs hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-500 sm:min-h-0"
      >
        Back to your apps
      </Link>
    </div>
  );
}
