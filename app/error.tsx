"use client";
import { useEffect } from "react";
import Link from "next/link";

// Unexpected errors only: unknown apps, stages and builds are 404s (not-found.tsx). The server's
// message is not shown (production hides it); its digest matches the server log.
export default function Error({ error, retry, reset }: { error: unknown; retry?: () => void; reset?: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <div className="mx-auto max-w-lg py-16 text-center" role="alert">
      <p className="text-sm font-semibold text-red-600">Error</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">Something went wrong</h1>
      <p className="mt-3 text-sm text-slate-600">
        This page could not be loaded. It has been logged{digest ? ` (reference ${digest})` : ""}.
      </p>
      <div className="mt-6 flex justify-center gap-3">
        <button
          type="button"
          onClick={() => (retry ?? reset)?.()}
          className="rounded-lg bg-slate-900 px-3.5 py-2 text-sm font-medium text-white shadow-xs hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-500"
        >
          Try again
        </button>
        <Link
          href="/"
          className="rounded-lg border border-slate-200 bg-white px-3.5 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50"
        >
          Back to your apps
        </Link>
      </div>
    </div>
  );
}
