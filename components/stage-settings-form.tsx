"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { updateStageAction } from "@/lib/server/actions/update-stage";
import { DRIVERS, type TDriverName } from "@/lib/core/domain";

export interface TStageSettings {
  app: string;
  name: string;
  driver: TDriverName;
  region: string | null;
  endpoint: string | null;
  stackNamePattern: string | null;
  adoptStacks: string[];
  protected: boolean;
}

const DRIVER_LABEL: Record<TDriverName, string> = {
  sandbox: "sandbox — a simulated account kept in Sprout's database",
  cloudformation: "cloudformation — a real AWS account (or a local endpoint) through the AWS SDK",
};

const INPUT =
  "mt-1 block w-full rounded-md border-0 bg-white px-3 py-1.5 text-sm text-slate-900 shadow-xs ring-1 ring-slate-300 ring-inset placeholder:text-slate-500 focus:ring-2 focus:ring-blue-500";

/**
 * Where the stage deploys: its driver, and for cloudformation the region, endpoint, stack names and
 * stacks to adopt. Read-only, saying why, when the viewer's role may not change it; the endpoint
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
  const router = useRouter();
  const id = useId();
  const [driver, setDriver] = useState<TDriverName>(stage.driver);
  const [region, setRegion] = useState(stage.region ?? "");
  const [endpoint, setEndpoint] = useState(stage.endpoint ?? "");
  const [pattern, setPattern] = useState(stage.stackNamePattern ?? "");
  const [adopt, setAdopt] = useState(stage.adoptStacks.join(", "));
  const [guarded, setGuarded] = useState(stage.protected);
  const alwaysGuarded = stage.name === "prod";
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const save = (e: React.FormEvent) => {
    e.preventDefault();
    start(async () => {
      setMessage(null);
      const result = await updateStageAction({
        app: stage.app,
        stage: stage.name,
        driver,
        region,
        endpoint,
        stackNamePattern: pattern,
        adoptStacks: adopt,
        protected: guarded,
      });
      if (!result.ok) return setMessage({ ok: false, text: result.error });
      setMessage({ ok: true, text: "Saved. The next build of this stage uses these settings." });
      router.refresh();
    });
  };

  return (
    <form onSubmit={save} className="space-y-5" aria-describedby={`${id}-status`}>
      {!can && (
        <p data-testid="settings-forbidden" className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600 ring-1 ring-slate-200">
          {why}
        </p>
      )}
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
          <label className="block text-sm font-medium text-slate-800" htmlFor={`${id}-region`}>
            Region
            <input
              id={`${id}-region`}
              name="region"
              value={region}
              onChange={(e) => setRegion(e.target.value)}
              placeholder="us-east-1"
              className={INPUT}
            />
            <span className="mt-1 block text-xs font-normal text-slate-600">Empty: the worker&apos;s AWS_REGION, else us-east-1.</span>
          </label>
          <label className="block text-sm font-medium text-slate-800" htmlFor={`${id}-endpoint`}>
            Endpoint
            <input
              id={`${id}-endpoint`}
              name="endpoint"
              value={endpoint}
              onChange={(e) => setEndpoint(e.target.value)}
              placeholder="http://127.0.0.1:4599"
              disabled={endpointWhy !== null}
              aria-describedby={`${id}-endpoint-help`}
              className={`${INPUT} font-mono disabled:bg-slate-50 disabled:text-slate-500`}
            />
            <span id={`${id}-endpoint-help`} className="mt-1 block text-xs font-normal text-slate-600">
              {endpointWhy ?? "Empty: real AWS (or the worker's AWS_ENDPOINT_URL). https, or http to a local emulator on loopback."}
            </span>
          </label>
          <label className="block text-sm font-medium text-slate-800" htmlFor={`${id}-pattern`}>
            Stack names
            <input
              id={`${id}-pattern`}
              name="stackNamePattern"
              value={pattern}
              onChange={(e) => setPattern(e.target.value)}
              placeholder="{service}-{stage}"
              className={`${INPUT} font-mono`}
            />
            <span className="mt-1 block text-xs font-normal text-slate-600">
              {"{app}, {service}, {stage}. Applies to services this stage has no stack for yet; a stack keeps its name."}
            </span>
          </label>
          <label className="block text-sm font-medium text-slate-800" htmlFor={`${id}-adopt`}>
            Adopt existing stacks of
            <input
              id={`${id}-adopt`}
              name="adoptStacks"
              value={adopt}
              onChange={(e) => setAdopt(e.target.value)}
              placeholder="billing-api, notify-job"
              className={`${INPUT} font-mono`}
            />
            <span className="mt-1 block text-xs font-normal text-slate-600">
              Services whose stack exists without Sprout&apos;s tags and is really theirs: the next build takes it over (audited).
            </span>
          </label>
        </div>
        <label className="flex items-start gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            name="protected"
            checked={guarded || alwaysGuarded}
            disabled={alwaysGuarded}
            onChange={(e) => setGuarded(e.target.checked)}
            aria-describedby={`${id}-protected-hint`}
            className="mt-0.5 size-4 accent-slate-900"
          />
          <span>
            <span className="font-medium text-slate-900">Protected</span>
            <span id={`${id}-protected-hint`} className="block text-xs text-slate-600">
              {alwaysGuarded
                ? "A stage named prod is always protected: its rollback dialog opens with Cancel focused, so Enter never confirms."
                : "Its rollback dialog opens with Cancel focused, so Enter never confirms."}
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
          {pending ? "Saving…" : "Save settings"}
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
