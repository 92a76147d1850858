"use client";
import Link from "next/link";
import { useState } from "react";
import type { TBuildView, TStepJson } from "@/lib/core/contracts";
import { TERMINAL_STEP_STATUSES } from "@/lib/core/domain";
import { shortSha } from "@/lib/client/format";
import { actorLabel, type TAccess } from "@/lib/core/roles";
import { isTerminalBuild, useLiveBuild } from "@/lib/client/hooks/use-build-events";
import { BuildActions } from "@/components/build-actions";
import { BuildKind } from "@/components/build-kind";
import { Duration } from "@/components/duration";
import { StatusBadge } from "@/components/status-badge";
import { StepRow } from "@/components/step-row";
import { TimeAgo } from "@/components/time-ago";

export function BuildPageClient({
  app,
  stage,
  access,
  initialData,
}: {
  app: string;
  stage: string;
  access: TAccess;
  initialData: { build: TBuildView };
}) {
  const number = initialData.build.number;
  const { data, streaming } = useLiveBuild(app, stage, number, initialData);
  const build = data.build;
  const live = !isTerminalBuild(build);
  // open at first: the step that failed, else the ones running
  const [open, setOpen] = useState<Set<string>>(() => {
    const failed = build.steps.find((s) => s.status === "failed");
    return new Set(failed ? [failed.key] : build.steps.filter((s) => s.status === "running").map((s) => s.key));
  });
  // while watching, a step opens when it starts (once: closing it by hand keeps it closed)
  const [started, setStarted] = useState(() => new Set(build.steps.filter((s) => s.status !== "pending").map((s) => s.key)));
  const justStarted = build.steps.filter((s) => s.status === "running" && !started.has(s.key)).map((s) => s.key);
  if (justStarted.length > 0) {
    setStarted(new Set([...started, ...justStarted]));
    setOpen(new Set([...open, ...justStarted]));
  }
  const toggle = (service: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(service)) next.add(service);
      return next;
    });
  const base = `/apps/${app}/stages/${stage}/builds`;

  return (
    <div className="space-y-5">
      <BuildHeader app={app} stage={stage} build={build} access={access} />
      {build.rolledBackBy.length > 0 && (
        <Note tone="info" testId="rolled-back-by">
          This build was rolled back to by{" "}
          {build.rolledBackBy.map((n, i) => (
            <span key={n}>
              {i > 0 && ", "}
              <Link href={`${base}/${n}`} className="font-medium underline underline-offset-2">
                #{n}
              </Link>
            </span>
          ))}
          .
        </Note>
      )}
      {build.error && (
        <Note tone="error" testId="build-error">
          <span className="font-medium">Build failed: </span>
          {build.error}
        </Note>
      )}
      {build.warnings.length > 0 && (
        <Note tone="warning" testId="build-warnings">
          <p className="font-medium">{build.warnings.length === 1 ? "Warning" : "Warnings"}</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            {build.warnings.map((w, i) => (
              <li key={i}>{w.message}</li>
            ))}
          </ul>
        </Note>
      )}
      <section aria-labelledby="steps-title" className="rounded-xl border border-slate-200 bg-white shadow-xs">
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-5 py-3">
          <h2 id="steps-title" className="text-sm font-semibold text-slate-800">
            Steps
          </h2>
          {live && <span className="text-xs text-slate-400">{streaming ? "Live" : "Refreshing every 2 s"}</span>}
        </div>
        <Progress steps={build.steps} />
        {build.steps.length === 0 ? (
          <p className="px-5 py-10 text-center text-sm text-slate-500">{live ? "Planning the build…" : "This build has no steps."}</p>
        ) : (
          <div className="divide-y divide-slate-100">
            {phases(build.steps).map(([phase, steps], rank) => (
              <div key={phase} data-phase={phase}>
                <h3 className="bg-slate-50/70 px-5 py-1.5 text-xs font-semibold tracking-wide text-slate-500 uppercase">
                  Phase {rank + 1}
                </h3>
                <ol className="divide-y divide-slate-100" aria-label={`Phase ${rank + 1}`}>
                  {steps.map((s) => (
                    <StepRow
                      key={s.key}
                      app={app}
                      stage={stage}
                      number={number}
                      step={s}
                      open={open.has(s.key)}
                      onToggle={() => toggle(s.key)}
                      polling={!streaming}
                    />
                  ))}
                </ol>
              </div>
            ))}
          </div>
        )}
      </section>
    </div>
  );
}

/**
 * Steps grouped by phase, phases in order, within a phase the plan's run order (the API's order).
 * Phases are shown numbered from 1: a build's steps need not start at the planner's first phase.
 */
function phases(steps: TStepJson[]): [number, TStepJson[]][] {
  const by = new Map<number, TStepJson[]>();
  for (const s of steps) by.set(s.phase, [...(by.get(s.phase) ?? []), s]);
  return [...by.entries()].sort((a, b) => a[0] - b[0]);
}

function BuildHeader({ app, stage, build, access }: { app: string; stage: string; build: TBuildView; access: TAccess }) {
  const c = build.commit;
  return (
    <header className="rounded-xl border border-slate-200 bg-white p-5 shadow-xs">
      <div className="flex flex-wrap items-center gap-3">
        <StatusBadge status={build.status} size="md" />
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Build #{build.number}</h1>
        <BuildKind app={app} stage={stage} build={build} className="rounded-md bg-slate-100 px-2 py-0.5 text-sm text-slate-700" />
        {build.cancelRequested && !isTerminalBuild(build) && <span className="text-sm text-amber-700">Cancel requested…</span>}
        <div className="ml-auto flex items-center gap-2">
          <BuildActions app={app} stage={stage} build={build} access={access} />
        </div>
      </div>
      <p className="mt-3 text-base text-slate-800">
        <span className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 font-mono text-sm text-slate-600" title={c.sha}>
          {shortSha(c.sha)}
        </span>
        {c.message}
      </p>
      <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 border-t border-slate-100 pt-4 text-sm sm:grid-cols-3 lg:grid-cols-6">
        <Meta label="Author">{c.author ?? "—"}</Meta>
        <Meta label="Branch">{c.branch ? <span className="font-mono text-xs">{c.branch}</span> : "—"}</Meta>
        <Meta label="Triggered by">
          <span data-testid="triggered-by" title={build.triggeredBy}>
            {actorLabel(build.triggeredBy)}
          </span>
        </Meta>
        <Meta label="Created">
          <TimeAgo iso={build.createdAt} />
        </Meta>
        <Meta label="Started">{build.startedAt ? <TimeAgo iso={build.startedAt} /> : "—"}</Meta>
        <Meta label="Duration">
          <Duration startedAt={build.startedAt} finishedAt={build.finishedAt} />
        </Meta>
      </dl>
    </header>
  );
}

function Meta({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="mt-0.5 truncate font-medium text-slate-800">{children}</dd>
    </div>
  );
}

function Progress({ steps }: { steps: TStepJson[] }) {
  if (steps.length === 0) return null;
  const done = steps.filter((s) => TERMINAL_STEP_STATUSES.includes(s.status)).length;
  const failed = steps.some((s) => s.status === "failed");
  const pct = Math.round((done / steps.length) * 100);
  return (
    <div className="flex items-center gap-3 border-b border-slate-100 px-5 py-3">
      <div
        role="progressbar"
        aria-label="Steps finished"
        aria-valuemin={0}
        aria-valuemax={steps.length}
        aria-valuenow={done}
        className="h-2 flex-1 overflow-hidden rounded-full bg-slate-100"
      >
        <div
          className={`h-full rounded-full transition-[width] duration-500 ${failed ? "bg-red-500" : done === steps.length ? "bg-emerald-500" : "bg-blue-500"}`}
          style={{ width: `${pct}%` }}
        />
      </div>
      <span className="shrink-0 text-xs text-slate-500 tabular-nums">
        {done} of {steps.length} steps
      </span>
    </div>
  );
}

function Note({ tone, testId, children }: { tone: "info" | "error" | "warning"; testId: string; children: React.ReactNode }) {
  const cls = {
    info: "border-blue-200 bg-blue-50 text-blue-900",
    error: "border-red-200 bg-red-50 text-red-800",
    warning: "border-amber-200 bg-amber-50 text-amber-900",
  }[tone];
  return (
    <div data-testid={testId} role={tone === "error" ? "alert" : undefined} className={`rounded-xl border px-4 py-3 text-sm ${cls}`}>
      {children}
    </div>
  );
}
