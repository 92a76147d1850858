"use client";

import { useState, useTransition } from "react";
import { setupAction } from "@/lib/actions/setup";
import { FormField, PRIMARY_BUTTON } from "./form-field";

/** The instance admin's account; the action signs them in. */
export function SetupForm() {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get("password"));
    if (password !== form.get("confirm")) return setError("The two passwords differ.");
    start(async () => {
      setError(null);
      const result = await setupAction({ email: String(form.get("email")), name: String(form.get("name") ?? ""), password });
      if (!result.ok) return setError(result.error);
      window.location.assign("/");
    });
  };
  return (
    <form onSubmit={submit} className="mt-6 space-y-4">
      <FormField label="Name" name="name" autoComplete="name" />
      <FormField label="Email" name="email" type="email" autoComplete="username" required />
      <FormField label="Password" name="password" type="password" autoComplete="new-password" minLength={8} required hint="At least 8 characters." />
      <FormField label="Password, again" name="confirm" type="password" autoComplete="new-password" required />
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <button type="submit" disabled={pending} className={`${PRIMARY_BUTTON} w-full`}>
        {pending ? "Creating…" : "Create the admin and sign in"}
      </button>
    </form>
  );
}
