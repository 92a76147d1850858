"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { setParametersAction, updateTemplateSettingsAction } from "@/lib/server/actions/template-settings";
import { useServerAction } from "@/lib/client/hooks/use-server-action";
import { ErrorAlert } from "@/components/ui/alert";

export interface TTemplateSettings {
  app: string;
  stage: string;
  driver: "sandbox" | "cloudformation";
  accountId: string | null;
  templateBucket: string | null;
  /** the app's services, and this stage's parameter values for each */
  services: string[];
  parameters: Record<string, Record<string, string>>;
}

const INPUT =
  "mt-1 block w-full rounded-md border-0 bg-white px-3 py-1.5 text-sm text-slate-900 shadow-xs ring-1 ring-slate-300 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-blue-500";
const BUTTON =
  "rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-blue-500 disabled:opacity-60";

/** `Name=value` lines, as the editor shows them. */
const toLines = (values: Record<string, string>) =>
  Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");

function fromLines(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) return `line ${i + 1}: write Name=value (got "${line}")`;
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

/** How the stage's templates are read: its account (sandbox), the bucket for large templates, parameter values per service. */
export function StageTemplateSettings({ settings, can, why }: { settings: TTemplateSettings; can: boolean; why: string | null }) {
  const router = useRouter();
  const id = useId();
  const [accountId, setAccountId] = useState(settings.accountId ?? "");
  const [bucket, setBucket] = useState(settings.templateBucket ?? "");
  const saved = useServerAction(updateTemplateSettingsAction, { onSuccess: () => router.refresh() });
  return (
    <div className="space-y-6">
      {!can && <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600 ring-1 ring-slate-200">{why}</p>}
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          saved.run({ app: settings.app, stage: settings.stage, accountId, templateBucket: bucket });
        }}
      >
        <fieldset disabled={!can} className="grid gap-4 disabled:opacity-70 sm:grid-cols-2">
          <label className="block text-sm font-medium text-slate-800" htmlFor={`${id}-account`}>
            Account id (sandbox)
            <input
              id={`${id}-account`}
              value={accountId}
              onChange={(e) => setAccountId(e.target.value)}
              placeholder="000000000000"
              inputMode="numeric"
              className={`${INPUT} font-mono`}
            />
            <span className="mt-1 block text-xs font-normal text-slate-600">
              AWS::AccountId in this stage&apos;s templates. A cloudformation stage asks AWS (STS) instead.
            </span>
          </label>
          <label className="block text-sm font-medium text-slate-800" htmlFor={`${id}-bucket`}>
            Template bucket
            <input
              id={`${id}-bucket`}
              value={bucket}
              onChange={(e) => setBucket(e.target.value)}
              placeholder="my-templates"
              className={`${INPUT} font-mono`}
            />
            <span className="mt-1 block text-xs font-normal text-slate-600">
              An S3 bucket for templates over 51,200 bytes (cloudformation). Without one, such a deploy is refused.
            </span>
          </label>
        </fieldset>
        <div className="flex items-center gap-3">
          <button type="submit" disabled={!can || saved.pending} className={BUTTON}>
            {saved.pending ? "Saving…" : "Save"}
          </button>
          {saved.error && <ErrorAlert>{saved.error}</ErrorAlert>}
        </div>
      </form>
      <div className="space-y-3">
        <h3 className="text-sm font-medium text-slate-800">Parameters</h3>
        <p className="text-sm text-slate-600">
          CloudFormation parameter values per service, one <span className="font-mono text-xs">Name=value</span> a line. They win over a
          deploy&apos;s own values; parameters left out take their Default. Each deploy keeps the values it used, and a rollback restores
          them.
        </p>
        {settings.services.length === 0 && (
          <p className="text-sm text-slate-600">No services yet: deploy once, then set their values here.</p>
        )}
        {settings.services.map((service) => (
          <ServiceParameters key={service} settings={settings} service={service} can={can} />
        ))}
      </div>
    </div>
  );
}

function ServiceParameters({ settings, service, can }: { settings: TTemplateSettings; service: string; can: boolean }) {
  const router = useRouter();
  const id = useId();
  const [text, setText] = useState(toLines(settings.parameters[service] ?? {}));
  const { run, pending, error, setError } = useServerAction(setParametersAction, { onSuccess: () => router.refresh() });
  const save = (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = fromLines(text);
    if (typeof parsed === "string") return setError(parsed);
    run({ app: settings.app, stage: settings.stage, service, parameters: parsed });
  };
  return (
    <form onSubmit={save} className="space-y-2" data-testid={`parameters-${service}`}>
      <label htmlFor={`${id}-params`} className="block font-mono text-xs font-semibold text-slate-900">
        {service}
      </label>
      <textarea
        id={`${id}-params`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        disabled={!can}
        rows={Math.max(2, text.split("\n").length)}
        placeholder="TopicName=purchases"
        className={`${INPUT} font-mono disabled:opacity-70`}
      />
      <div className="flex items-center gap-3">
        <button type="submit" disabled={!can || pending} className={BUTTON}>
          {pending ? "Saving…" : `Save ${service}`}
        </button>
        {error && <ErrorAlert>{error}</ErrorAlert>}
      </div>
    </form>
  );
}
