"use client";

import Link from "next/link";
import { useState } from "react";
import { createAppAction, previewAppAction } from "@/lib/server/actions/new-app-actions";
import { useServerAction } from "@/lib/client/hooks/use-server-action";
import type { TAppPreview } from "@/lib/core/contracts";
import { FormField, PRIMARY_BUTTON } from "@/components/auth/form-field";
import { ErrorAlert } from "@/components/ui/alert";
import { SMALL_BUTTON } from "@/components/ui/button";
import { Services } from "@/components/app/services";
import { CARD, ShownOnce } from "@/components/settings/shared";

type TCreated = Extract<Awaited<ReturnType<typeof createAppAction>>, { ok: true }>["data"];

/** Name and repository, then what sprout.yml holds (services and their graph, or its problems by line), then the app and its webhook secret, shown once. */
export function NewAppForm() {
  const [form, setForm] = useState({ name: "", url: "" });
  const [preview, setPreview] = useState<TAppPreview | null>(null);
  const [created, setCreated] = useState<TCreated | null>(null);
  const read = useServerAction(previewAppAction, { onSuccess: (data) => setPreview(data) });
  const create = useServerAction(createAppAction, { onSuccess: (data) => setCreated(data) });

  if (created) return <Created created={created} />;
  const ready = preview && preview.problems.length === 0 && preview.repository.url;
  return (
    <div className="space-y-6">
      <form
        className={`${CARD} space-y-4 px-5 py-4`}
        aria-label="Repository"
        onSubmit={(e) => {
          e.preventDefault();
          setPreview(null);
          read.run({ url: form.url });
        }}
      >
        <div className="grid gap-4 sm:grid-cols-[16rem_1fr]">
          <FormField
            label="Name"
            name="name"
            required
            placeholder="notes"
            pattern="[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?"
            hint="Lowercase letters, digits and dashes."
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
          <FormField
            label="Repository URL"
            name="url"
            required
            placeholder="https://github.com/acme/notes.git"
            hint="https, ssh (git@host:org/repo.git) or a local path. Git uses this machine's own credentials."
            value={form.url}
            onChange={(e) => {
              setForm({ ...form, url: e.target.value });
              setPreview(null);
            }}
          />
        </div>
        <button type="submit" disabled={read.pending} className={PRIMARY_BUTTON}>
          {read.pending ? "Reading sprout.yml…" : "Read sprout.yml"}
        </button>
        {read.error && <ErrorAlert>{read.error}</ErrorAlert>}
      </form>

      {preview && <Preview preview={preview} />}
      {ready && (
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            disabled={create.pending || !form.name}
            className={PRIMARY_BUTTON}
            onClick={() => create.run({ name: form.name, url: form.url })}
          >
            Create {form.name || "the app"}
          </button>
          <span className="text-sm text-slate-600">
            with stages dev (deploys {preview.repository.defaultBranch} on every push) and prod (deploys when you say so).
          </span>
        </div>
      )}
      {create.error && <ErrorAlert>{create.error}</ErrorAlert>}
    </div>
  );
}

function Preview({ preview }: { preview: TAppPreview }) {
  const { repository: r } = preview;
  return (
    <section aria-labelledby="preview-title" className="space-y-3" data-testid="app-preview">
      <h2 id="preview-title" className="text-sm font-semibold text-slate-800">
        sprout.yml on {r.defaultBranch} at <code className="font-mono text-xs">{r.commit.sha.slice(0, 7)}</code>{" "}
        <span className="font-normal text-slate-600">
          {r.commit.message} ({r.commit.author})
        </span>
      </h2>
      {preview.problems.length > 0 ? (
        <div role="alert" className="rounded-xl border border-red-200 bg-red-50 px-5 py-3 text-sm text-red-800">
          <p className="font-medium">sprout.yml has problems: fix them, push, and read it again.</p>
          <ul className="mt-2 space-y-1" data-testid="sprout-yml-problems">
            {preview.problems.map((p, i) => (
              <li key={i} className="font-mono text-xs">
                {p.file}
                {p.line !== null ? `:${p.line}` : ""} {p.field ? `${p.field}: ` : ""}
                {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <>
          <ul className="flex flex-wrap gap-2 text-sm" aria-label="Services in sprout.yml" data-testid="preview-services">
            {preview.services!.map((s) => (
              <li key={s.name} className="rounded-md bg-white px-2.5 py-1 ring-1 ring-slate-200" data-service={s.name}>
                <span className="font-medium text-slate-900">{s.name}</span>{" "}
                <span className="font-mono text-xs text-slate-600">{s.path}</span>
                {s.error && <span className="block text-xs text-red-700">{s.error}</span>}
              </li>
            ))}
          </ul>
          <Services services={preview.services!} edges={preview.edges} />
        </>
      )}
    </section>
  );
}

function Created({ created }: { created: TCreated }) {
  const [shown, setShown] = useState(true);
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const { app, repository } = created;
  return (
    <section className={`${CARD} space-y-4 px-5 py-4`} data-testid="app-created">
      <h2 className="text-base font-semibold text-slate-900">
        {app.name} is ready: {created.services.length} services, stages {app.stages.map((s) => s.name).join(" and ")}.
      </h2>
      <p className="text-sm text-slate-600">
        Add a webhook to the repository so that a push to {repository.defaultBranch} deploys dev. On GitHub: Settings → Webhooks, content
        type application/json, the secret below, events push and pull requests. On GitLab: the URL, the secret as its token, push and merge
        request events.
      </p>
      <dl className="grid gap-2 text-sm sm:grid-cols-[6rem_1fr]">
        <dt className="text-slate-600">GitHub</dt>
        <dd>
          <code className="font-mono text-xs break-all select-all" data-testid="webhook-github">
            {origin}
            {repository.webhooks.github}
          </code>
        </dd>
        <dt className="text-slate-600">GitLab</dt>
        <dd>
          <code className="font-mono text-xs break-all select-all">
            {origin}
            {repository.webhooks.gitlab}
          </code>
        </dd>
      </dl>
      {shown && (
        <ShownOnce
          title="The webhook secret. Copy it now."
          value={created.webhookSecret}
          testId="webhook-secret"
          onDone={() => setShown(false)}
          note="This is the only time it is shown: Sprout keeps it encrypted and never shows it again (rotate it on the app's settings page)."
        />
      )}
      <Link href={`/apps/${app.name}`} className={SMALL_BUTTON}>
        Open {app.name}
      </Link>
    </section>
  );
}
