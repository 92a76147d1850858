"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { deploySourceAction } from "@/lib/server/actions/source-actions";
import { useServerAction } from "@/lib/client/hooks/use-server-action";
import { ActionDialog } from "@/components/ui/action-dialog";

export interface TDeployDialogProps {
  app: string;
  stage: string;
  branch: string | null;
  guarded: boolean;
  repository: string;
  services: string[];
  onClose: () => void;
}

const INPUT =
  "mt-1 block w-full rounded-md border-0 bg-white px-3 py-1.5 font-mono text-sm text-slate-900 shadow-xs ring-1 ring-slate-400 ring-inset placeholder:text-slate-500 focus:ring-2 focus:ring-blue-500";

/** A branch or commit (the stage's branch by default), services (none checked: all), force; Deploy queues one build and opens it. */
export function DeployDialog({ app, stage, branch, guarded, repository, services, onClose }: TDeployDialogProps) {
  const id = useId();
  const router = useRouter();
  const refRef = useRef<HTMLInputElement>(null);
  const [ref, setRef] = useState(branch ?? "");
  const [chosen, setChosen] = useState<string[]>([]);
  const [force, setForce] = useState(false);
  const { run, pending, error } = useServerAction(deploySourceAction, {
    onSuccess: (data) => router.push(`/apps/${app}/stages/${stage}/builds/${data.number}`),
  });
  const deploy = () =>
    run({ app, stage, ...(ref.trim() ? { ref: ref.trim() } : {}), ...(chosen.length ? { services: chosen } : {}), force });
  const toggle = (service: string, on: boolean) =>
    setChosen((prev) => (on ? [...prev, service] : prev.filter((s) => s !== service)).sort());

  return (
    <ActionDialog
      title={`Deploy ${stage}`}
      summary={
        <>
          Checks the commit out of <span className="font-mono text-xs break-all">{repository}</span>, packages the services that changed
          since what is live in {stage}, then deploys them.
        </>
      }
      testId="deploy-dialog"
      className="max-w-lg"
      initialFocus={refRef}
      onClose={onClose}
      // on a protected stage Enter in a field does not deploy: only the button does
      onSubmit={(e) => {
        e.preventDefault();
        if (!guarded) deploy();
      }}
      pending={pending}
      error={error}
      note={guarded ? `${stage} is protected: Enter does not deploy.` : null}
      confirm={{
        label: `Deploy ${stage}`,
        pendingLabel: "Queuing…",
        tone: "dark",
        submit: !guarded,
        onClick: guarded ? deploy : undefined,
        disabled: !branch && !ref.trim(),
      }}
    >
      <label className="block font-medium text-slate-800" htmlFor={`${id}-ref`}>
        Branch or commit
        <input
          ref={refRef}
          id={`${id}-ref`}
          name="ref"
          value={ref}
          onChange={(e) => setRef(e.target.value)}
          required={!branch}
          placeholder={branch ?? "main, or a commit sha"}
          autoComplete="off"
          spellCheck={false}
          className={INPUT}
        />
        <span className="mt-1 block text-xs font-normal text-slate-600">
          {branch ? `Empty: ${branch}, the branch ${stage} tracks.` : `${stage} tracks no branch: name one, or a commit.`}
        </span>
      </label>
      {services.length > 0 && (
        <fieldset>
          <legend className="font-medium text-slate-800">Services</legend>
          <p className="text-xs text-slate-600">
            {chosen.length === 0 ? "None checked: every service of sprout.yml." : `Only ${chosen.join(", ")}.`}
          </p>
          <div className="mt-2 grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-2">
            {services.map((s) => (
              <label key={s} className="flex items-center gap-2 text-slate-800">
                <input
                  type="checkbox"
                  name="services"
                  value={s}
                  checked={chosen.includes(s)}
                  onChange={(e) => toggle(s, e.target.checked)}
                  className="size-4 accent-slate-900"
                />
                <span className="font-mono text-xs">{s}</span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <label className="flex items-start gap-2 text-slate-800">
        <input
          type="checkbox"
          name="force"
          checked={force}
          onChange={(e) => setForce(e.target.checked)}
          className="mt-0.5 size-4 accent-slate-900"
        />
        <span>
          <span className="font-medium">Force rebuild</span>
          <span className="block text-xs text-slate-600">
            Run the build of every chosen service, even those whose files did not change since what is live.
          </span>
        </span>
      </label>
    </ActionDialog>
  );
}
