"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { createTokenAction, revokeTokenAction } from "@/lib/server/actions/access-actions";
import { callAction, useServerAction } from "@/lib/client/hooks/use-server-action";
import { actorLabel, type TRole } from "@/lib/core/roles";
import { FormField, PRIMARY_BUTTON } from "@/components/auth/form-field";
import { ErrorAlert } from "@/components/ui/alert";
import { TimeAgo } from "@/components/time-ago";
import { CARD, DANGER_BUTTON, RoleSelect, ShownOnce } from "./shared";
import type { TTokenJson } from "@/lib/core/contracts";

/** The app's API tokens for scripts and CI: created with a role (the value shown once), listed by prefix, revoked. */
export function TokensCard({ app, tokens }: { app: string; tokens: TTokenJson[] }) {
  const router = useRouter();
  const { run, pending, error } = useServerAction(callAction, { onSuccess: () => router.refresh() });
  const [created, setCreated] = useState<{ name: string; value: string } | null>(null);
  const [role, setRole] = useState<TRole>("deployer");

  const create = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const name = String(new FormData(form).get("name"));
    run(async () => {
      const result = await createTokenAction({ app, name, role });
      if (result.ok) {
        form.reset();
        setCreated({ name: result.data.token.name, value: result.data.value });
      }
      return result;
    });
  };
  const revoke = (id: number) => run(() => revokeTokenAction({ app, tokenId: id }));

  return (
    <section aria-labelledby="tokens-title" className={CARD}>
      <h2 id="tokens-title" className="border-b border-slate-200 px-5 py-3 text-sm font-semibold text-slate-800">
        API tokens
      </h2>
      <div className="space-y-4 px-5 py-4">
        <p className="text-sm text-slate-600">
          For scripts and CI: <code className="rounded bg-slate-100 px-1 font-mono text-xs">Authorization: Bearer sprout_…</code>. A token
          acts on {app} only, with its role; the audit names it. Revoking takes effect on its next request.
        </p>
        {created && (
          <ShownOnce
            title={`Token ${created.name} created. Copy it now.`}
            value={created.value}
            testId="new-token-value"
            onDone={() => setCreated(null)}
          />
        )}
        {tokens.length > 0 && (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200" data-testid="tokens">
            {tokens.map((t) => (
              <li
                key={t.id}
                data-token={t.name}
                className={`flex flex-wrap items-center gap-3 px-3 py-2 text-sm ${t.revokedAt ? "opacity-60" : ""}`}
              >
                <span className="min-w-0 flex-1">
                  <span className="font-medium text-slate-900">{t.name}</span>{" "}
                  <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{t.role}</span>
                  <span className="block text-xs text-slate-600">
                    <code className="font-mono">{t.prefix}…</code> · by {actorLabel(t.createdBy)} <TimeAgo iso={t.createdAt} /> · last used{" "}
                    {t.lastUsedAt ? <TimeAgo iso={t.lastUsedAt} /> : "never"}
                  </span>
                </span>
                {t.revokedAt ? (
                  <span className="text-xs text-slate-600">
                    revoked <TimeAgo iso={t.revokedAt} />
                  </span>
                ) : (
                  <button type="button" disabled={pending} className={DANGER_BUTTON} onClick={() => revoke(t.id)}>
                    Revoke
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        <form onSubmit={create} className="flex flex-wrap items-end gap-3" aria-label="Create a token">
          <div className="min-w-64 flex-1">
            <FormField label="Name" name="name" required placeholder="ci-deploy" pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,62}" />
          </div>
          <RoleSelect label="Role of the new token" value={role} onChange={setRole} disabled={pending} />
          <button type="submit" disabled={pending} className={PRIMARY_BUTTON}>
            Create token
          </button>
        </form>
        {error && <ErrorAlert>{error}</ErrorAlert>}
      </div>
    </section>
  );
}
