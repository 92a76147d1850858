"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { updateStageAction } from "@/lib/server/actions/update-stage";
import { CheckboxField, MinutesField, ReadOnlyNote, SaveFooter, TextField, minutesOf, useSaveForm } from "@/components/settings/form";

export interface TStageSourceSettings {
  app: string;
  stage: string;
  branch: string | null;
  autoDeploy: boolean;
  packageTimeoutMinutes: number;
  /** the app's repository URL; null when none is connected */
  repository: string | null;
}

/**
 * What the stage builds from the app's repository: the branch it tracks, whether a push to it
 * deploys, and how long a service's build command may run. Read-only, saying why, for non-admins.
 */
export function StageSourceSettings({ settings, can, why }: { settings: TStageSourceSettings; can: boolean; why: string | null }) {
  const id = useId();
  const [branch, setBranch] = useState(settings.branch ?? "");
  const [autoDeploy, setAutoDeploy] = useState(settings.autoDeploy);
  const [minutes, setMinutes] = useState(String(settings.packageTimeoutMinutes));
  const { pending, message, save } = useSaveForm(
    updateStageAction,
    "Saved. Pushes and the next build of this stage follow these settings.",
  );

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    save({
      app: settings.app,
      stage: settings.stage,
      branch,
      autoDeploy,
      packageTimeoutMinutes: minutesOf(minutes),
    });
  };

  return (
    <form onSubmit={submit} className="space-y-5" aria-label="Source settings" aria-describedby={`${id}-status`}>
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
      {!can && <ReadOnlyNote testId="source-settings-forbidden">{why}</ReadOnlyNote>}
      <fieldset disabled={!can} className="space-y-5 disabled:opacity-70">
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            id={`${id}-branch`}
            label="Branch"
            hint="What Deploy builds unless told otherwise. Empty: none (Deploy then asks for a branch or commit)."
            name="branch"
            value={branch}
            onChange={(e) => setBranch(e.target.value)}
            placeholder="main"
            className="font-mono"
          />
          <MinutesField
            id={`${id}-timeout`}
            label="Package time limit (minutes)"
            hint="A service's build command running longer is killed, and the build fails. At most 1440 (one day)."
            name="packageTimeoutMinutes"
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
          />
        </div>
        <CheckboxField
          title="Deploy on push"
          hintId={`${id}-auto-hint`}
          hint={`A push to ${branch.trim() || "the branch"} (GitHub or GitLab webhook) queues a build of ${settings.stage}. New stages have it on, except one named prod.`}
          name="autoDeploy"
          checked={autoDeploy}
          onChange={(e) => setAutoDeploy(e.target.checked)}
        />
      </fieldset>
      <SaveFooter label="Save source settings" pending={pending} disabled={!can} message={message} statusId={`${id}-status`} />
    </form>
  );
}
