"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { connectRepositoryAction, disconnectRepositoryAction, rotateWebhookSecretAction } from "@/lib/server/actions/source-actions";
import { callAction, useServerAction } from "@/lib/client/hooks/use-server-action";
import type { TRepositoryJson } from "@/lib/core/contracts";
import { FormField, PRIMARY_BUTTON } from "@/components/auth/form-field";
import { ErrorAlert } from "@/components/ui/alert";
import { SMALL_BUTTON } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CARD, DANGER_BUTTON, ShownOnce } from "./shared";

export interface TRepositoryCardProps {
  app: string;
  repository: TRepositoryJson | null;
  /** the dashboard's origin as GitHub and GitLab must call it */
  origin: string;
  /** the origin is this machine's own: a hosted GitHub or GitLab cannot reach it */
  localOrigin: boolean;
  can: boolean;
  why: string | null;
}

const CODE = "rounded bg-slate-100 px-1 font-mono text-xs text-slate-800";

/**
 * The app's git repository: admins connect it, copy the webhook URLs for GitHub or GitLab, see the
 * webhook secret once (after connecting or rotating) and disconnect; the others see the URL only.
 */
export function RepositoryCard({ app, repository, origin, localOrigin, can, why }: TRepositoryCardProps) {
  const router = useRouter();
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  const [confirm, setConfirm] = useState<"rotate" | "disconnect" | null>(null);
  const { run, pending, error, setError } = useServerAction(callAction, {
    onSuccess: () => {
      setConfirm(null);
      router.refresh();
    },
  });

  const connect = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const url = String(new FormData(form).get("url"));
    run(async () => {
      const result = await connectRepositoryAction({ app, url });
      if (result.ok) {
        form.reset();
        setSecret({
          title: `Connected ${result.data.repository.url}. This is the webhook secret; paste it into GitHub or GitLab now.`,
          value: result.data.webhookSecret,
        });
      }
      return result;
    });
  };
  const rotate = () =>
    run(async () => {
      const result = await rotateWebhookSecretAction({ app });
      if (result.ok)
        setSecret({
          title: "New webhook secret: the old one no longer works. Paste this one into GitHub or GitLab.",
          value: result.data.webhookSecret,
        });
      return result;
    });
  const disconnect = () =>
    run(async () => {
      const result = await disconnectRepositoryAction({ app });
      if (result.ok) setSecret(null);
      return result;
    });
  const closeConfirm = () => {
    setConfirm(null);
    setError(null);
  };

  return (
    <section aria-labelledby="repository-title" className={CARD} data-testid="repository-card">
      <h2 id="repository-title" className="border-b border-slate-200 px-5 py-3 text-sm font-semibold text-slate-800">
        Repository
      </h2>
      <div className="space-y-4 px-5 py-4 text-sm">
        {repository ? (
          <p className="text-slate-700">
            {app} builds from{" "}
            <code className={`${CODE} break-all`} data-testid="repository-url">
              {repository.url}
            </code>
            : its <code className={CODE}>sprout.yml</code> lists the services. The host&apos;s own git credentials (SSH keys, credential
            helper) are used; Sprout stores none.
          </p>
        ) : (
          <p className="text-slate-700" data-testid="no-repository">
            No repository connected: {app} is deployed from manifests posted to the API. Connect its git repository to build from pushes and
            the Deploy button.
          </p>
        )}
        {!can && <p className="rounded-md bg-slate-50 px-3 py-2 text-slate-600 ring-1 ring-slate-200">{why}</p>}
        {secret && (
          <ShownOnce
            title={secret.title}
            value={secret.value}
            testId="webhook-secret"
            onDone={() => setSecret(null)}
            note="This is the only time it is shown: Sprout keeps it encrypted and never shows it again. Lost it? Rotate it."
          />
        )}
        {can && repository && <Webhooks webhooks={repository.webhooks} origin={origin} localOrigin={localOrigin} />}
        {can && !repository && (
          <form onSubmit={connect} className="flex flex-wrap items-end gap-3" aria-label="Connect a repository">
            <div className="min-w-64 flex-1">
              <FormField label="Repository URL" name="url" required placeholder="git@github.com:acme/notes.git" />
            </div>
            <button type="submit" disabled={pending} className={PRIMARY_BUTTON}>
              Connect
            </button>
          </form>
        )}
        {can && !repository && (
          <p className="text-xs text-slate-600">
            https://…, ssh://… or git@host:org/repo.git, or an absolute path on the worker&apos;s machine. Credentials in the URL are
            refused: the host&apos;s git credentials are used.
          </p>
        )}
        {can && repository && (
          <div className="flex flex-wrap gap-2">
            <button type="button" className={SMALL_BUTTON} disabled={pending} onClick={() => setConfirm("rotate")}>
              Rotate webhook secret
            </button>
            <button type="button" className={DANGER_BUTTON} disabled={pending} onClick={() => setConfirm("disconnect")}>
              Disconnect
            </button>
          </div>
        )}
        {error && !confirm && <ErrorAlert>{error}</ErrorAlert>}
      </div>
      {confirm === "rotate" && (
        <ConfirmDialog
          title="Rotate the webhook secret?"
          confirmLabel="Rotate secret"
          pendingLabel="Rotating…"
          pending={pending}
          error={error}
          onConfirm={rotate}
          onClose={closeConfirm}
          testId="rotate-dialog"
        >
          <p>The current secret stops working at once: pushes are refused (401) until GitHub or GitLab has the new one.</p>
        </ConfirmDialog>
      )}
      {confirm === "disconnect" && repository && (
        <ConfirmDialog
          title={`Disconnect ${repository.url}?`}
          confirmLabel="Disconnect"
          pendingLabel="Disconnecting…"
          pending={pending}
          error={error}
          onConfirm={disconnect}
          onClose={closeConfirm}
          testId="disconnect-dialog"
        >
          <p>
            Pushes stop deploying and the Deploy button stops building; the webhook secret is deleted. Builds, artifacts and what is live
            stay as they are.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** The two webhook URLs, absolute, and where each host takes them. */
function Webhooks({ webhooks, origin, localOrigin }: { webhooks: TRepositoryJson["webhooks"]; origin: string; localOrigin: boolean }) {
  const rows = [
    {
      host: "GitHub",
      url: `${origin}${webhooks.github}`,
      how: "Settings → Webhooks → Add webhook: this Payload URL, content type application/json, the secret, “Just the push event”.",
    },
    {
      host: "GitLab",
      url: `${origin}${webhooks.gitlab}`,
      how: "Settings → Webhooks → Add new webhook: this URL, the secret as Secret token, trigger “Push events”.",
    },
  ];
  return (
    <div className="space-y-2">
      <p className="font-medium text-slate-800">Webhooks</p>
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200">
        {rows.map((r) => (
          <li key={r.host} className="space-y-1 px-3 py-2" data-webhook={r.host.toLowerCase()}>
            <div className="flex flex-wrap items-center gap-2">
              <span className="w-14 font-medium text-slate-900">{r.host}</span>
              <code className={`${CODE} min-w-0 flex-1 break-all select-all`} data-testid={`webhook-url-${r.host.toLowerCase()}`}>
                {r.url}
              </code>
              <button type="button" className={SMALL_BUTTON} onClick={() => void navigator.clipboard?.writeText(r.url)}>
                Copy
              </button>
            </div>
            <p className="text-xs text-slate-600">{r.how}</p>
          </li>
        ))}
      </ul>
      {localOrigin && (
        <p className="text-xs text-slate-600">
          {origin} is this machine&apos;s own address: a hosted GitHub or GitLab cannot reach it. Set{" "}
          <code className={CODE}>SPROUT_URL</code> to the dashboard&apos;s public URL, or send pushes yourself (README: “Builds from git”).
        </p>
      )}
    </div>
  );
}
