"use client";
import { useEffect, useRef } from "react";
import type { TStepJson } from "@/lib/core/contracts";
import { TERMINAL_STEP_STATUSES, type TStepAction } from "@/lib/core/domain";
import { useStepLog } from "@/lib/client/hooks/use-step-log";
import { Duration } from "@/components/duration";
import { LogViewer } from "@/components/log-viewer";
import { StatusBadge } from "@/components/status-badge";

const ACTION_STYLE: Record<TStepAction, string> = {
  checkout: "text-slate-700 bg-slate-50 ring-slate-300/60",
  package: "text-violet-700 bg-violet-50 ring-violet-600/20",
  create: "text-emerald-700 bg-emerald-50 ring-emerald-600/20",
  update: "text-blue-700 bg-blue-50 ring-blue-600/20",
  remove: "text-red-700 bg-red-50 ring-red-600/20",
  unchanged: "text-slate-500 bg-slate-50 ring-slate-300/60",
};

export interface TStepRowProps {
  app: string;
  stage: string;
  number: number;
  step: TStepJson;
  open: boolean;
  onToggle: () => void;
  /** the live stream is down: the open log polls instead */
  polling: boolean;
}

/** One service's step: what it does, its status and timing; opens to its log. */
export function StepRow({ app, stage, number, step, open, onToggle, polling }: TStepRowProps) {
  const logId = `log-${step.key}`;
  return (
    <li data-step={step.key} data-status={step.status}>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={logId}
        onClick={onToggle}
        className="flex w-full items-center gap-3 px-4 py-3 text-left text-sm transition-colors hover:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-500"
      >
        <svg
          aria-hidden
          viewBox="0 0 16 16"
          className={`size-3.5 shrink-0 text-slate-400 transition-transform ${open ? "rotate-90" : ""}`}
          fill="currentColor"
        >
          <path d="M6 3.5 10.5 8 6 12.5z" />
        </svg>
        <span className="min-w-0 flex-1">
          <span className="flex flex-wrap items-center gap-2">
            <span className="font-medium text-slate-900" data-testid="step-service">
              {step.service ?? "sprout.yml"}
            </span>
            <span className={`rounded px-1.5 py-px text-[11px] font-medium ring-1 ring-inset ${ACTION_STYLE[step.action]}`}>
              {step.action}
            </span>
            {step.after.length > 0 && <span className="text-xs text-slate-500">after {step.after.join(", ")}</span>}
          </span>
          {step.error && <span className="mt-1 block text-xs break-words text-red-600">{step.error}</span>}
        </span>
        <Duration
          startedAt={step.startedAt}
          finishedAt={step.finishedAt}
          className="w-16 shrink-0 text-right text-xs text-slate-500 tabular-nums"
        />
        <span className="flex w-24 shrink-0 justify-end">
          <StatusBadge status={step.status} />
        </span>
      </button>
      {open && (
        <div id={logId} className="space-y-2 px-4 pb-4">
          {step.parameters && Object.keys(step.parameters).length > 0 && <Parameters values={step.parameters} />}
          <StepLog app={app} stage={stage} number={number} step={step} polling={polling} />
        </div>
      )}
    </li>
  );
}

/** The CloudFormation parameter values the step deploys with (NoEcho ones come as ****). */
function Parameters({ values }: { values: Record<string, string> }) {
  return (
    <dl data-testid="step-parameters" aria-label="Parameters" className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
      {Object.entries(values).map(([name, value]) => (
        <div key={name} className="flex gap-1">
          <dt className="text-slate-600">{name}</dt>
          <dd className="font-mono text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function StepLog({ app, stage, number, step, polling }: { app: string; stage: string; number: number; step: TStepJson; polling: boolean }) {
  const active = !TERMINAL_STEP_STATUSES.includes(step.status);
  const log = useStepLog(app, stage, number, step.key, { poll: polling && active });
  // when the step ends between two polls, its last lines came after the last poll: read them once more
  const wasActive = useRef(active);
  const { refetch } = log;
  useEffect(() => {
    if (wasActive.current && !active) void refetch();
    wasActive.current = active;
  }, [active, refetch]);

  if (log.isError && !log.data)
    return <p className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">Could not load the log: {log.error.message}</p>;
  return <LogViewer lines={log.data?.lines ?? []} loading={log.isPending} live={active} label={`Log of ${step.key}`} />;
}
