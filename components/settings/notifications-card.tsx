"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/query-keys";
import { createNotificationAction, deleteNotificationAction, testNotificationAction } from "@/lib/server/actions/notification-actions";
import { callAction, useServerAction } from "@/lib/client/hooks/use-server-action";
import type { TTargetEvents, TTargetKind } from "@/lib/core/notifications/events";
import type { TNotificationJson } from "@/lib/core/contracts";
import { FormField, PRIMARY_BUTTON } from "@/components/auth/form-field";
import { ErrorAlert } from "@/components/ui/alert";
import { SMALL_BUTTON } from "@/components/ui/button";
import { TimeAgo } from "@/components/time-ago";
import { DANGER_BUTTON, ShownOnce } from "./shared";
import { DeliveryLog } from "./delivery-log";

const KIND_WORDS: Record<TTargetKind, string> = { webhook: "Webhook", slack: "Slack", email: "Email" };
const SELECT =
  "rounded-md border-0 bg-white py-1.5 pr-7 pl-2 text-sm text-slate-900 shadow-xs ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-blue-500 disabled:opacity-60";

/** A stage's notification targets (app admins): add one (a webhook's secret shown once), send a test, read its delivery log, remove it. */
export function NotificationsCard({ app, stage, targets }: { app: string; stage: string; targets: TNotificationJson[] }) {
  const router = useRouter();
  const qc = useQueryClient();
  const { run, pending, error } = useServerAction(callAction, {
    onSuccess: () => {
      router.refresh();
      void qc.invalidateQueries({ queryKey: queryKeys.notifications(app, stage) });
    },
  });
  const [kind, setKind] = useState<TTargetKind>("webhook");
  const [events, setEvents] = useState<TTargetEvents>("all");
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  const add = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const value = String(new FormData(form).get("target")).trim();
    const target = kind === "email" ? { kind, address: value, events } : { kind, url: value, events };
    run(async () => {
      const result = await createNotificationAction({ app, stage, target });
      if (result.ok) {
        form.reset();
        setSecret(result.data.secret);
      }
      return result;
    });
  };

  return (
    <div className="space-y-4 text-sm">
      <p className="text-slate-600">
        Builds queued, started, succeeded, failed, canceled, rejected or waiting for approval, and the stage pinned or unpinned. A webhook
        gets JSON signed with <code className="rounded bg-slate-100 px-1 font-mono text-xs">X-Sprout-Signature: sha256=…</code> (HMAC-SHA256
        of the raw body with its secret). Deliveries are retried five times; a slow target never holds a build.
      </p>
      {secret && (
        <ShownOnce
          title="Webhook added. Its signing secret:"
          value={secret}
          testId="notification-secret"
          onDone={() => setSecret(null)}
          note="This is the only time it is shown: Sprout keeps it encrypted, to sign each delivery. Give it to the receiver now."
        />
      )}
      {targets.length > 0 && (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200" data-testid="notifications">
          {targets.map((t) => (
            <li key={t.id} data-notification={t.id} className="space-y-2 px-3 py-2">
              <div className="flex flex-wrap items-center gap-3">
                <span className="min-w-0 flex-1">
                  <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{KIND_WORDS[t.kind]}</span>{" "}
                  <span className="font-mono text-xs break-all text-slate-900">{t.label}</span>
                  <span className="block text-xs text-slate-600">
                    {t.events === "all" ? "every event" : "failed builds only"} · last delivery:{" "}
                    {t.lastDelivery ? (
                      <>
                        {t.lastDelivery.status} ({t.lastDelivery.event}) <TimeAgo iso={t.lastDelivery.at} />
                      </>
                    ) : (
                      "none yet"
                    )}
                  </span>
                </span>
                <button
                  type="button"
                  className={SMALL_BUTTON}
                  onClick={() => setOpen(open === t.id ? null : t.id)}
                  aria-expanded={open === t.id}
                >
                  Deliveries
                </button>
                <button
                  type="button"
                  disabled={pending}
                  className={SMALL_BUTTON}
                  onClick={() => {
                    setOpen(t.id);
                    run(() => testNotificationAction({ app, stage, id: t.id }));
                  }}
                >
                  Send test
                </button>
                <button
                  type="button"
                  disabled={pending}
                  className={DANGER_BUTTON}
                  onClick={() => run(() => deleteNotificationAction({ app, stage, id: t.id }))}
                >
                  Remove
                </button>
              </div>
              {open === t.id && <DeliveryLog app={app} stage={stage} id={t.id} />}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} className="flex flex-wrap items-end gap-3" aria-label="Add a notification target">
        <label className="text-sm font-medium text-slate-800">
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as TTargetKind)} className={`mt-1 block ${SELECT}`}>
            <option value="webhook">Webhook</option>
            <option value="slack">Slack</option>
            <option value="email">Email</option>
          </select>
        </label>
        <div className="min-w-64 flex-1">
          <FormField
            label={kind === "email" ? "Email address" : kind === "slack" ? "Slack incoming-webhook URL" : "Webhook URL"}
            name="target"
            type={kind === "email" ? "email" : "url"}
            required
            placeholder={
              kind === "email"
                ? "oncall@example.com"
                : kind === "slack"
                  ? "https://hooks.slack.com/services/…"
                  : "https://ci.example.com/sprout"
            }
          />
        </div>
        <label className="text-sm font-medium text-slate-800">
          Events
          <select value={events} onChange={(e) => setEvents(e.target.value as TTargetEvents)} className={`mt-1 block ${SELECT}`}>
            <option value="all">All</option>
            <option value="failures">Failures only</option>
          </select>
        </label>
        <button type="submit" disabled={pending} className={PRIMARY_BUTTON}>
          Add target
        </button>
      </form>
      {error && <ErrorAlert>{error}</ErrorAlert>}
    </div>
  );
}
