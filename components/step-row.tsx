"use client";
import { useEffect, useRef } from "react";
import type { TStepJson } from "@/lib/core/contracts";
import { TERMINAL_STEP_STATUSES } from "@/lib/core/domain";
import { apiPaths } from "@/lib/client/api-client";
import { useStepLog } from "@/lib/client/hooks/use-step-log";
import { ActionChip } from "@/components/action-chip";
import { Duration } from "@/components/duration";
import { LogViewer, type TLogJump } from "@/components/log-viewer";
import { StatusBadge } from "@/components/status-badge";

export interface TStepRowProps {
  app: string;
  stage: string;
  number: number;
  step: TStepJson;
  open: boolean;
  onToggle: () => void;
  /** open the log at the line that reports the step's error */
  onJump: () => void;
  jump: TLogJump | null;
  /** the live stream is down: the open log polls instead */
  polling: boolean;
}

/** One step: a service's package or deploy step (or a source build's checkout), its status and timing, its error once; opens to its log. */
export function StepRow({ app, stage, number, step, open, onToggle, onJump, jump, polling }: TStepRowProps) {
  const logId = `log-${step.key}`;
  return (
    <li data-step={step.key} data-status={step.status}>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={logId}
        onClick={onToggle}
        className="flex min-h-11 w-full items-center gap-3 px-4 py-3 text-left text-sm transition-colors hover:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-500"
      >
        <svg
          aria-hidden
          viewBox="0 0 16 16"
          className={`size-3.5 shrink-0 text-slate-600 transition-transform ${open ? "rotate-90" : ""}`}
          fill="currentColor"
        >
          <path d="M6 3.5 10.5 8 6 12.5z" />
        </svg>
        <span className="flex min-w-0 flex-1 flex-wrap items-center gap-2">
          {step.action === "checkout" ? (
            <>
              <span className="font-medium text-slate-900" data-testid="step-service">
                checkout
              </span>
              <span className="text-xs text-slate-600">the commit and its sprout.yml</span>
            </>
          ) : (
            <>
              <span className="font-medium text-slate-900" data-testid="step-service">
                {step.service}
              </span>
              <ActionChip action={step.action} />
            </>
          )}
          {step.after.length > 0 && <span className="text-xs text-slate-600">after {step.after.join(", ")}</span>}
        </span>
        <Duration
          startedAt={step.startedAt}
          finishedAt={step.finishedAt}
          className="w-16 shrink-0 text-right text-xs text-slate-600 tabular-nums"
        />
        <span className="flex w-24 shrink-0 justify-end">
          <StatusBadge status={step.status} />
        </span>
      </button>
      {step.error && (
        <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-4 pb-3 pl-11 text-xs">
          <p data-testid="step-error" className={`min-w-0 break-words ${step.status === "failed" ? "text-red-700" : "text-slate-700"}`}>
            {step.error}
          </p>
          {step.status === "failed" && (
            <button
              type="button"
              onClick={onJump}
              className="inline-flex min-h-11 items-center font-medium text-blue-700 underline underline-offset-2 hover:text-blue-900 focus-visible:outline-2 focus-visible:outline-blue-500 sm:min-h-0"
            >
              Show in log
            </button>
          )}
        </div>
      )}
      {open && (
        <div id={logId} className="space-y-2 px-4 pb-4">
          {step.parameters && Object.keys(step.parameters).length > 0 && <Parameters values={step.parameters} />}
          <StepLog app={app} stage={stage} number={number} step={step} polling={polling} jump={jump} />
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

function StepLog({
  app,
  stage,
  number,
  step,
  polling,
  jump,
}: {
  app: string;
  stage: string;
  number: number;
  step: TStepJson;
  polling: boolean;
  jump: TLogJump | null;
}) {
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
  return (
    <LogViewer
      lines={log.data?.lines ?? []}
      loading={log.isFetching && !log.data}
      live={active}
      label={`Log of ${step.key}`}
      downloadHref={apiPaths.logDownload(app, stage, number, { step: step.key })}
      jump={jump}
      earlier={log.data?.earlier ?? 0}
      onLoadEarlier={() => void log.loadEarlier()}
      loadingEarlier={log.loadingEarlier}
    />
  );
}
