"use client";

import { useState, useTransition } from "react";
import { authClient } from "@/lib/client/auth-client";
import { PASSWORD_MIN_LENGTH } from "@/lib/core/validation";
import { FormField, PRIMARY_BUTTON } from "./form-field";

/** better-auth's change-password (rate limited like sign-in); other sessions of the account end. */
export function ChangePasswordForm() {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const newPassword = String(data.get("new"));
    if (newPassword !== data.get("confirm")) return setMessage({ ok: false, text: "The two new passwords differ." });
    start(async () => {
      setMessage(null);
      const { error } = await authClient.changePassword({
        currentPassword: String(data.get("current")),
        newPassword,
        revokeOtherSessions: true,
      });
      if (error)
        return setMessage({
          ok: false,
          text:
            error.status === 429
              ? "Too many attempts; wait a minute."
              : error.code === "PASSWORD_TOO_SHORT"
                ? `The new password must be at least ${PASSWORD_MIN_LENGTH} characters.`
                : (error.message ?? "Could not change the password."),
        });
      form.reset();
      setMessage({ ok: true, text: "Password changed; your other sessions were signed out." });
    });
  };
  return (
    <form onSubmit={submit} className="space-y-4">
      <FormField label="Current password" name="current" type="password" autoComplete="current-password" required />
      <FormField
        label="New password"
        name="new"
        type="password"
        autoComplete="new-password"
        minLength={PASSWORD_MIN_LENGTH}
        required
        hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
      />
      <FormField label="New password, again" name="confirm" type="password" autoComplete="new-password" required />
      {message && (
        <p
          role={message.ok ? "status" : "alert"}
          className={`rounded-md px-3 py-2 text-sm ${message.ok ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-700"}`}
        >
          {message.text}
        </p>
      )}
      <button type="submit" disabled={pending} className={PRIMARY_BUTTON}>
        {pending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
