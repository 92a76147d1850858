"use client";

import { useRouter } from "next/navigation";
import { setupAction } from "@/lib/server/actions/setup";
import { useServerAction } from "@/lib/client/hooks/use-server-action";
import { ErrorAlert } from "@/components/ui/alert";
import { PASSWORD_MIN_LENGTH } from "@/lib/core/validation";
import { FormField, PRIMARY_BUTTON } from "./form-field";

/** The instance admin's account; the action signs them in. */
export function SetupForm() {
  const router = useRouter();
  // signed in by the action: the layout re-renders with the session (the top bar shows the user)
  const { run, pending, error, setError } = useServerAction(setupAction, {
    onSuccess: () => {
      router.replace("/");
      router.refresh();
    },
  });
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get("password"));
    if (password !== form.get("confirm")) return setError("The two passwords differ.");
    run({ email: String(form.get("email")), name: String(form.get("name") ?? ""), password });
  };
  return (
    <form onSubmit={submit} className="mt-6 space-y-4">
      <FormField label="Name" name="name" autoComplete="name" />
      <FormField label="Email" name="email" type="email" autoComplete="username" required />
      <FormField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={PASSWORD_MIN_LENGTH}
        required
        hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
      />
      <FormField label="Password, again" name="confirm" type="password" autoComplete="new-password" required />
      {error && <ErrorAlert>{error}</ErrorAlert>}
      <button type="submit" disabled={pending} className={`${PRIMARY_BUTTON} w-full`}>
        {pending ? "Creating…" : "Create the admin and sign in"}
      </button>
    </form>
  );
}
