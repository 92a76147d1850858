"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteVariableAction, setVariableAction } from "@/lib/server/actions/variable-actions";
import { callAction, useServerAction } from "@/lib/client/hooks/use-server-action";
import { actorLabel } from "@/lib/core/roles";
import type { TVariableJson } from "@/lib/core/contracts";
import { PRIMARY_BUTTON } from "@/components/auth/form-field";
import { ErrorAlert } from "@/components/ui/alert";
import { DisabledAction } from "@/components/ui/disabled-action";
import { SMALL_BUTTON } from "@/components/ui/button";
import { TimeAgo } from "@/components/time-ago";
import { DANGER_BUTTON } from "./shared";

const INPUT =
  "block w-full rounded-md border-0 bg-white px-3 py-1.5 text-sm text-slate-900 shadow-xs ring-1 ring-slate-300 ring-inset placeholder:text-slate-500 focus:ring-2 focus:ring-blue-500";

/**
 * A stage's variables: build commands get them as environment variables, CloudFormation parameters
 * reference them as {{secret:NAME}}. A secret's value is write-only: replaced, never shown.
 */
export function VariablesCard({
  app,
  stage,
  variables,
  can,
  why,
}: {
  app: string;
  stage: string;
  variables: TVariableJson[];
  can: boolean;
  why: string | null;
}) {
  const router = useRouter();
  const { run, pending, error } = useServerAction(callAction, { onSuccess: () => router.refresh() });
  const [editing, setEditing] = useState<string | null>(null);

  const save = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const name = String(data.get("name")).trim();
    const input = { app, stage, name, value: String(data.get("value")), secret: data.get("secret") === "on" };
    run(async () => {
      const result = await setVariableAction(input);
      if (result.ok) {
        form.reset();
        setEditing(null);
      }
      return result;
    });
  };
  const editingRow = variables.find((v) => v.name === editing);

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        Build commands get these as environment variables; a CloudFormation parameter takes one with{" "}
        <code className="rounded bg-slate-100 px-1 font-mono text-xs">{"{{secret:NAME}}"}</code>, resolved when the step deploys. A secret
        is encrypted at rest, never shown again once saved, and masked (****) in logs, errors and notifications.
      </p>
      {variables.length > 0 ? (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200" data-testid="variables">
          {variables.map((v) => (
            <li key={v.name} data-variable={v.name} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm">
              <span className="min-w-0 flex-1">
                <code className="font-mono font-medium text-slate-900">{v.name}</code>{" "}
                {v.secret ? (
                  <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800 ring-1 ring-amber-200">secret</span>
                ) : (
                  <code className="font-mono text-xs break-all text-slate-700">= {v.value}</code>
                )}
                <span className="block text-xs text-slate-600">
                  by {actorLabel(v.updatedBy)} <TimeAgo iso={v.updatedAt} />
                </span>
              </span>
              {can && (
                <span className="flex gap-2">
                  <button type="button" className={SMALL_BUTTON} disabled={pending} onClick={() => setEditing(v.name)}>
                    {v.secret ? "Replace" : "Edit"}
                  </button>
                  <button
                    type="button"
                    className={DANGER_BUTTON}
                    disabled={pending}
                    aria-label={`Delete ${v.name}`}
                    onClick={() => run(() => deleteVariableAction({ app, stage, name: v.name }))}
                  >
                    Delete
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">No variables in {stage} yet.</p>
      )}
      {can ? (
        <form
          key={editing ?? "new"}
          onSubmit={save}
          className="grid gap-3 sm:grid-cols-[14rem_1fr_auto_auto] sm:items-end"
          aria-label="Set a variable"
        >
          <label className="text-sm font-medium text-slate-800">
            Name
            <input
              name="name"
              required
              defaultValue={editingRow?.name ?? ""}
              readOnly={!!editingRow}
              placeholder="API_URL"
              pattern="[A-Z_][A-Z0-9_]*"
              title="Upper-case letters, digits and _, not starting with a digit; not SPROUT_…"
              className={`mt-1 font-mono ${INPUT}`}
            />
          </label>
          <label className="text-sm font-medium text-slate-800">
            Value
            <input
              name="value"
              type={editingRow?.secret ? "password" : "text"}
              autoComplete="off"
              defaultValue={editingRow && !editingRow.secret ? editingRow.value : ""}
              placeholder={editingRow?.secret ? "new value (the old one is not shown)" : ""}
              className={`mt-1 font-mono ${INPUT}`}
            />
          </label>
          <label className="flex items-center gap-2 text-sm text-slate-800 sm:pb-1.5">
            <input type="checkbox" name="secret" defaultChecked={editingRow?.secret ?? false} className="size-4" />
            Secret
          </label>
          <span className="flex gap-2">
            <button type="submit" disabled={pending} className={PRIMARY_BUTTON}>
              {editingRow ? `Save ${editingRow.name}` : "Add variable"}
            </button>
            {editingRow && (
              <button type="button" className={SMALL_BUTTON} onClick={() => setEditing(null)}>
                Cancel
              </button>
            )}
          </span>
        </form>
      ) : (
        <DisabledAction label="Add variable" reason={why} testId="variables-forbidden" />
      )}
      {error && <ErrorAlert>{error}</ErrorAlert>}
    </div>
  );
}
