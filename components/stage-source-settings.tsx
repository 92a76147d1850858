"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { updateStageAction } from "@/lib/server/actions/update-stage";

export interface TStageSourceSettings {
  app: string;
  stage: string;
  branch: string | null;
  autoDeploy: boolean;
  packageTimeoutMinutes: number;
  /** the app's repository URL; null when none is connected */
  repository: string | null;
}

const INPUT =
  "mt-1 block w-full rounded-md border-0 bg-white px-3 py-1.5 text-sm text-slate-900 shadow-xs ring-1 ring-slate-300 ring-inset placeholder:text-slate-500 focus:ring-2 focus:ring-blue-500";

/**
 * What the stage builds from the app's repository: the branch it tracks, whether a push to it
 * deploys, and how long a service's build command may run. Read-only, saying why, for non-admins.
 */
export function StageSourceSettings({ settings, can, why }: { settings: TStageSourceSettings; can: boolean; why: string | null }) {
  const router = useRouter();
  const id = useId();
  const [branch, setBranch] = useState(settings.branch ?? "");
  const [autoDeploy, setAutoDeploy] = useState(settings.autoDeploy);
  const [minutes, setMinutes] = useState(String(settings.packageTimeoutMinutes));
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const save = (e: React.FormEvent) => {
    e.preventDefault();
    start(async () => {
      setMessage(null);
      const result = await updateStageAction({
        app: settings.app,
        stage: settings.stage,
        branch,
        autoDeploy,
        packageTimeoutMinutes: minutes.trim() === "" ? Number.NaN : Number(minutes),
      });
      if (!result.ok) return setMessage({ ok: false, text: result.error });
      setMessage({ ok: true, text: "Saved. Pushes and the next build of this stage follow these settings." });
      router.refresh();
    });
  };

  return (
    <form onSubmit={save} className="space-y-5" aria-label="Source settings" aria-describedby={`${id}-status`}>
      {settings.repository ? (
        <p className="text-sm text-slate-600">
          Builds from <span className="font-mono text-xs break-all text-slate-800">{settings.repository}</span>: the Deploy button, a push
          to the branch below (with deploy on push), or <span className="font-mono text-xs">POST …/deploy</span>.
        </p>
      ) : (
        <p className="text-sm text-slate-600" data-testid="no-repository">
          {settings.app} has no repository yet: connect one on{" "}
          <Link href={`/apps/${settings.app}/settings`} className="font-medium text-blue-700 hover:underline">
            the app&apos;s settings
          </Link>{" "}
          to build from git. These settings apply once it is connected.
        </p>
      )}
      {!can && (
        <p
          data-testid="source-settings-forbidden"
          className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600 ring-1 ring-slate-200"
        >
          {why}
        </p>
      )}
      <fieldset disabled={!can} className="space-y-5 disabled:opacity-70">
        <div className="grid gap-4 sm:grid-cols-2">
          <label className="block text-sm font-medium text-slate-800" htmlFor={`${id}-branch`}>
            Branch
            <input
              id={`${id}-branch`}
              name="branch"
              value={branch}
              onChange={(e) => setBranch(e.target.value)}
              placeholder="main"
              className={`${INPUT} font-mono`}
            />
            <span className="mt-1 block text-xs font-normal text-slate-600">
              What Deploy builds unless told otherwise. Empty: none (Deploy then asks for a branch or commit).
            </span>
          </label>
          <label className="block text-sm font-medium text-slate-800" htmlFor={`${id}-timeout`}>
            Package time limit (minutes)
            <input
              id={`${id}-timeout`}
              name="packageTimeoutMinutes"
              type="number"
              inputMode="decimal"
              min="0"
              step="any"
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
              className={`${INPUT} tabular-nums`}
            />
            <span className="mt-1 block text-xs font-normal text-slate-600">
              A service&apos;s build command running longer is killed, and the build fails. At most 1440 (one day).
            </span>
          </label>
        </div>
        <label className="flex items-start gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            name="autoDeploy"
            checked={autoDeploy}
            onChange={(e) => setAutoDeploy(e.target.checked)}
            aria-describedby={`${id}-auto-hint`}
            className="mt-0.5 size-4 accent-slate-900"
          />
          <span>
            <span className="font-medium text-slate-900">Deploy on push</span>
            <span id={`${id}-auto-hint`} className="block text-xs text-slate-600">
              A push to {branch.trim() || "the branch"} (GitHub or GitLab webhook) queues a build of {settings.stage}. New stages have it
              on, except one named prod.
            </span>
          </span>
        </label>
      </fieldset>
      <div className="flex items-center gap-3">
        <button
          type="submit"
          disabled={pending || !can}
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-blue-500 disabled:opacity-60"
        >
          {pending ? "Saving…" : "Save source settings"}
        </button>
        <span
          id={`${id}-status`}
          role={message && !message.ok ? "alert" : "status"}
          className={`text-sm ${message?.ok ? "text-emerald-700" : "text-red-700"}`}
        >
          {message?.text}
        </span>
      </div>
    </form>
  );
}
