"use client";

import { useState, useTransition } from "react";
import { authClient } from "@/lib/client/auth-client";
import { ErrorAlert } from "@/components/ui/alert";
import { FormField, PRIMARY_BUTTON } from "./form-field";

/** Email + password against better-auth's endpoint; then a full load of `next` (the top bar shows who signed in). */
export function SignInForm({ next }: { next: string }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    start(async () => {
      setError(null);
      const { error } = await authClient.signIn.email({ email: String(form.get("email")), password: String(form.get("password")) });
      if (!error) return window.location.assign(next);
      setError(
        error.status === 429
          ? "Too many sign-in attempts from here; wait a minute and try again."
          : error.status === 401
            ? "Wrong email or password."
            : (error.message ?? "Could not sign in; try again."),
      );
    });
  };
  return (
    <form onSubmit={submit} className="mt-6 space-y-4">
      <FormField label="Email" name="email" type="email" autoComplete="username" required autoFocus />
      <FormField label="Password" name="password" type="password" autoComplete="current-password" required />
      {error && <ErrorAlert>{error}</ErrorAlert>}
      <button type="submit" disabled={pending} className={`${PRIMARY_BUTTON} w-full`}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
