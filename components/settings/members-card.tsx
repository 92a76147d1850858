"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { addMemberAction, removeMemberAction, updateMemberAction } from "@/lib/server/actions/access-actions";
import { callAction, useServerAction } from "@/lib/client/hooks/use-server-action";
import type { TRole } from "@/lib/core/roles";
import { FormField, PRIMARY_BUTTON } from "@/components/auth/form-field";
import { ErrorAlert } from "@/components/ui/alert";
import { CARD, DANGER_BUTTON, ROLE_HINT, RoleSelect, ShownOnce } from "./shared";
import type { TMemberJson } from "@/lib/core/contracts";

/** Who has which role on the app; admins add members by email, change roles and remove them. */
export function MembersCard({
  app,
  members,
  instanceAdmins,
  you,
  can,
  why,
}: {
  app: string;
  members: TMemberJson[];
  instanceAdmins: string[];
  you: string | null;
  can: boolean;
  why: string | null;
}) {
  const router = useRouter();
  const { run, pending, error } = useServerAction(callAction, { onSuccess: () => router.refresh() });
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);
  const [role, setRole] = useState<TRole>("viewer");

  const add = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const email = String(new FormData(form).get("email"));
    run(async () => {
      const result = await addMemberAction({ app, email, role });
      if (result.ok) {
        form.reset();
        if (result.data.password) setCreated({ email: result.data.member.email, password: result.data.password });
      }
      return result;
    });
  };

  return (
    <section aria-labelledby="members-title" className={CARD}>
      <h2 id="members-title" className="border-b border-slate-200 px-5 py-3 text-sm font-semibold text-slate-800">
        Members
      </h2>
      <div className="space-y-4 px-5 py-4">
        <p className="text-sm text-slate-600">
          Instance admins ({instanceAdmins.join(", ") || "none"}) are admin of every app.{" "}
          {(Object.keys(ROLE_HINT) as TRole[]).map((r) => `${r}: ${ROLE_HINT[r]}`).join("; ")}.
        </p>
        {!can && <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600 ring-1 ring-slate-200">{why}</p>}
        {members.length === 0 ? (
          <p className="text-sm text-slate-600">No members yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200" data-testid="members">
            {members.map((m) => (
              <li key={m.userId} data-member={m.email} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm">
                <span className="min-w-0 flex-1">
                  <span className="font-medium text-slate-900">{m.email}</span>
                  {m.userId === you && <span className="ml-1.5 text-xs text-slate-600">(you)</span>}
                  <span className="block text-xs text-slate-600">{m.name}</span>
                </span>
                {can ? (
                  <>
                    <RoleSelect
                      label={`Role of ${m.email}`}
                      value={m.role}
                      disabled={pending}
                      onChange={(r) => run(() => updateMemberAction({ app, userId: m.userId, role: r }))}
                    />
                    <button
                      type="button"
                      disabled={pending}
                      className={DANGER_BUTTON}
                      onClick={() => run(() => removeMemberAction({ app, userId: m.userId }))}
                    >
                      Remove
                    </button>
                  </>
                ) : (
                  <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{m.role}</span>
                )}
              </li>
            ))}
          </ul>
        )}
        {created && (
          <ShownOnce
            title={`Account created for ${created.email}. Give them this password; they sign in with it.`}
            value={created.password}
            testId="new-member-password"
            onDone={() => setCreated(null)}
          />
        )}
        {can && (
          <form onSubmit={add} className="flex flex-wrap items-end gap-3" aria-label="Add a member">
            <div className="min-w-64 flex-1">
              <FormField label="Email" name="email" type="email" required placeholder="jay@example.com" />
            </div>
            <RoleSelect label="Role of the new member" value={role} onChange={setRole} disabled={pending} />
            <button type="submit" disabled={pending} className={PRIMARY_BUTTON}>
              Add member
            </button>
          </form>
        )}
        {error && <ErrorAlert>{error}</ErrorAlert>}
      </div>
    </section>
  );
}
