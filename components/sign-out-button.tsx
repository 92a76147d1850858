"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { authClient } from "@/lib/client/auth-client";

/** Ends the session (deleted in the database, cookie cleared), then the sign-in page. */
export function SignOutButton({
  className = "rounded-md px-2 py-1 text-slate-700 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-blue-500 disabled:opacity-60",
}: {
  className?: string;
}) {
  const [pending, start] = useTransition();
  const router = useRouter();
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() =>
        start(async () => {
          await authClient.signOut();
          router.replace("/sign-in");
          router.refresh();
        })
      }
      className={className}
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
