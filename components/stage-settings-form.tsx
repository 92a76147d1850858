"use client";

import { useId, useState } from "react";
import { updateStageAction } from "@/lib/server/actions/update-stage";
import { DRIVERS, type TDriverName } from "@/lib/core/domain";
import { CheckboxField, MinutesField, ReadOnlyNote, SaveFooter, TextField, minutesOf, useSaveForm } from "@/components/settings/form";

export interface TStageSettings {
  app: string;
  name: string;
  driver: TDriverName;
  region: string | null;
  endpoint: string | null;
  stackNamePattern: string | null;
  adoptStacks: string[];
  protected: boolean;
  stepTimeoutMinutes: number;
}

const DRIVER_LABEL: Record<TDriverName, string> = {
  sandbox: "sandbox — a simulated account kept in Sprout's database",
  cloudformation: "cloudformation — a real AWS account (or a local endpoint) through the AWS SDK",
};

/**
 * Where the stage deploys: its driver, and for cloudformation the region, endpoint, stack names and
 * stacks to adopt; how long a deploy step may run. Read-only, saying why, when the viewer's role may not change it; the endpoint
 * only for instance admins (`endpointWhy` says so to the others).
 */
export function StageSettingsForm({
  stage,
  can = true,
  why = null,
  endpointWhy = null,
}: {
  stage: TStageSettings;
  can?: boolean;
  why?: string | null;
  endpointWhy?: string | null;
}) {
  const id = useId();
  const [driver, setDriver] = useState<TDriverName>(stage.driver);
  const [region, setRegion] = useState(stage.region ?? "");
  const [endpoint, setEndpoint] = useState(stage.endpoint ?? "");
  const [pattern, setPattern] = useState(stage.stackNamePattern ?? "");
  const [adopt, setAdopt] = useState(stage.adoptStacks.join(", "));
  const [guarded, setGuarded] = useState(stage.protected);
  const [minutes, setMinutes] = useState(String(stage.stepTimeoutMinutes));
  const alwaysGuarded = stage.name === "prod";
  const { pending, message, save } = useSaveForm(updateStageAction, "Saved. The next build of this stage uses these settings.");

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    save({
      app: stage.app,
      stage: stage.name,
      driver,
      region,
      endpoint,
      stackNamePattern: pattern,
      adoptStacks: adopt,
      protected: guarded,
      stepTimeoutMinutes: minutesOf(minutes),
    });
  };

  return (
    <form onSubmit={submit} className="space-y-5" aria-describedby={`${id}-status`}>
      {!can && <ReadOnlyNote testId="settings-forbidden">{why}</ReadOnlyNote>}
      <fieldset disabled={!can} className="space-y-5 disabled:opacity-70">
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">Driver</legend>
          <div className="mt-2 space-y-2">
            {DRIVERS.map((d) => (
              <label key={d} className="flex items-start gap-2 text-sm text-slate-700">
                <input
                  type="radio"
                  name="driver"
                  value={d}
                  checked={driver === d}
                  onChange={() => setDriver(d)}
                  className="mt-0.5 accent-slate-900"
                />
                <span>
                  <span className="font-mono text-xs font-semibold text-slate-900">{d}</span>
                  <span className="text-slate-600">{DRIVER_LABEL[d].slice(d.length)}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            id={`${id}-region`}
            label="Region"
            hint="Empty: the worker's AWS_REGION, else us-east-1."
            name="region"
            value={region}
            onChange={(e) => setRegion(e.target.value)}
            placeholder="us-east-1"
          />
          <TextField
            id={`${id}-endpoint`}
            label="Endpoint"
            hint={endpointWhy ?? "Empty: real AWS (or the worker's AWS_ENDPOINT_URL). https, or http to a local emulator on loopback."}
            hintId={`${id}-endpoint-help`}
            name="endpoint"
            value={endpoint}
            onChange={(e) => setEndpoint(e.target.value)}
            placeholder="http://127.0.0.1:4599"
            disabled={endpointWhy !== null}
            className="font-mono disabled:bg-slate-50 disabled:text-slate-500"
          />
          <TextField
            id={`${id}-pattern`}
            label="Stack names"
            hint="{app}, {service}, {stage}. Applies to services this stage has no stack for yet; a stack keeps its name."
            name="stackNamePattern"
            value={pattern}
            onChange={(e) => setPattern(e.target.value)}
            placeholder="{service}-{stage}"
            className="font-mono"
          />
          <TextField
            id={`${id}-adopt`}
            label="Adopt existing stacks of"
            hint="Services whose stack exists without Sprout's tags and is really theirs: the next build takes it over (audited)."
            name="adoptStacks"
            value={adopt}
            onChange={(e) => setAdopt(e.target.value)}
            placeholder="billing-api, notify-job"
            className="font-mono"
          />
          <MinutesField
            id={`${id}-step-timeout`}
            label="Step time limit (minutes)"
            hint="A deploy step running longer is stopped and fails with the limit named. At most 1440 (one day)."
            name="stepTimeoutMinutes"
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
          />
        </div>
        <CheckboxField
          title="Protected"
          hintId={`${id}-protected-hint`}
          hint={
            alwaysGuarded
              ? "A stage named prod is always protected: its rollback dialog opens with Cancel focused, so Enter never confirms."
              : "Its rollback dialog opens with Cancel focused, so Enter never confirms."
          }
          name="protected"
          checked={guarded || alwaysGuarded}
          disabled={alwaysGuarded}
          onChange={(e) => setGuarded(e.target.checked)}
        />
      </fieldset>
      <SaveFooter label="Save settings" pending={pending} disabled={!can} message={message} statusId={`${id}-status`} />
    </form>
  );
}
