"use client";

import { useRouter } from "next/navigation";
import { updateAppSettingsAction } from "@/lib/server/actions/app-settings-actions";
import { useServerAction } from "@/lib/client/hooks/use-server-action";
import type { TPrStagesJson } from "@/lib/core/contracts";
import { PRIMARY_BUTTON } from "@/components/auth/form-field";
import { ErrorAlert } from "@/components/ui/alert";
import { DisabledAction } from "@/components/ui/disabled-action";
import { CARD } from "./shared";

const SELECT =
  "mt-1 block w-full rounded-md border-0 bg-white py-1.5 pr-7 pl-2 text-sm text-slate-900 shadow-xs ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-blue-500 disabled:opacity-60";

/** An app's pull-request stages: on or off, the stage each is copied from, how many may be open at once. */
export function PrStagesCard({
  app,
  settings,
  stages,
  can,
  why,
}: {
  app: string;
  settings: TPrStagesJson;
  /** the stages a PR stage may be copied from */
  stages: string[];
  can: boolean;
  why: string | null;
}) {
  const router = useRouter();
  const { run, pending, error } = useServerAction(updateAppSettingsAction, { onSuccess: () => router.refresh() });
  const save = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    run({
      app,
      prStages: {
        enabled: data.get("enabled") === "on",
        templateStage: String(data.get("templateStage")),
        limit: Number(data.get("limit")),
      },
    });
  };
  return (
    <section aria-labelledby="pr-stages-title" className={CARD}>
      <h2 id="pr-stages-title" className="border-b border-slate-200 px-5 py-3 text-sm font-semibold text-slate-800">
        Pull request stages
      </h2>
      <form onSubmit={save} className="space-y-4 px-5 py-4" aria-label="Pull request stages">
        <p className="text-sm text-slate-600">
          A pull request opened on GitHub (or a merge request on GitLab) gets a stage{" "}
          <code className="font-mono text-xs">pr-&lt;number&gt;</code> copied from the template stage (its settings and variables) and is
          built on every push to it; when it is closed, its stacks are removed, consumers first, and the stage is archived.
        </p>
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" name="enabled" defaultChecked={settings.enabled} disabled={!can} className="size-4" />
          Build a stage for each pull request
        </label>
        <div className="grid gap-4 sm:grid-cols-2">
          <label className="text-sm font-medium text-slate-800">
            Template stage
            <select name="templateStage" defaultValue={settings.templateStage} disabled={!can} className={SELECT}>
              {[...new Set([settings.templateStage, ...stages])].map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm font-medium text-slate-800">
            At most this many open at once
            <input
              name="limit"
              type="number"
              min={1}
              max={500}
              required
              defaultValue={settings.limit}
              disabled={!can}
              className={`${SELECT} px-3`}
            />
          </label>
        </div>
        {can ? (
          <button type="submit" disabled={pending} className={PRIMARY_BUTTON}>
            Save
          </button>
        ) : (
          <DisabledAction label="Save" reason={why} />
        )}
        {error && <ErrorAlert>{error}</ErrorAlert>}
      </form>
    </section>
  );
}
