"use client";
import { useState } from "react";
import type { TStepJson } from "@/lib/core/contracts";
import { StepRow } from "@/components/step-row";

/**
 * Steps grouped by phase, phases in order, within a phase the plan's run order (the API's order).
 * Phases are numbered from 1 among the steps that change something: a build's steps need not
 * start at the planner's first phase, and unchanged services fold into one line below.
 */
function phases(steps: TStepJson[]): [number, TStepJson[]][] {
  const by = new Map<number, TStepJson[]>();
  for (const s of steps) by.set(s.phase, [...(by.get(s.phase) ?? []), s]);
  return [...by.entries()].sort((a, b) => a[0] - b[0]);
}

/**
 * A source build's first phases are its checkout and its package steps; the deploy's phases are
 * numbered from 1 after them ("Deploy, phase 1"), a build without source steps just "Phase 1".
 */
function phaseTitles(grouped: [number, TStepJson[]][]): string[] {
  const source = grouped.some(([, list]) => list.some((s) => s.action === "checkout" || s.action === "package"));
  let deploy = 0;
  return grouped.map(([, list]) => {
    if (list.every((s) => s.action === "checkout")) return "Checkout";
    if (list.every((s) => s.action === "package")) return "Package";
    deploy += 1;
    return source ? `Deploy, phase ${deploy}` : `Phase ${deploy}`;
  });
}

export interface TStepListProps {
  app: string;
  stage: string;
  number: number;
  steps: TStepJson[];
  polling: boolean;
  /** the step whose error was asked for from outside (the build's error note): a new object each time */
  jumpRequest: { key: string } | null;
}

export function StepList({ app, stage, number, steps, polling, jumpRequest }: TStepListProps) {
  const changing = steps.filter((s) => s.action !== "unchanged");
  const unchanged = steps.filter((s) => s.action === "unchanged");
  // open at first: the step that failed, else the ones running
  const [open, setOpen] = useState<Set<string>>(() => {
    const failed = steps.find((s) => s.status === "failed");
    return new Set(failed ? [failed.key] : steps.filter((s) => s.status === "running").map((s) => s.key));
  });
  // while watching, a step opens when it starts (once: closing it by hand keeps it closed)
  const [started, setStarted] = useState(() => new Set(steps.filter((s) => s.status !== "pending").map((s) => s.key)));
  const justStarted = steps.filter((s) => s.status === "running" && !started.has(s.key)).map((s) => s.key);
  if (justStarted.length > 0) {
    setStarted(new Set([...started, ...justStarted]));
    setOpen(new Set([...open, ...justStarted]));
  }
  const [jump, setJump] = useState<{ service: string; nonce: number } | null>(null);
  // a jump asked from outside (the build's error note) opens that step too
  const [seenRequest, setSeenRequest] = useState(jumpRequest);
  if (jumpRequest !== seenRequest) {
    setSeenRequest(jumpRequest);
    if (jumpRequest) {
      setJump({ service: jumpRequest.key, nonce: (jump?.nonce ?? 0) + 1 });
      setOpen(new Set([...open, jumpRequest.key]));
    }
  }
  const toggle = (service: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(service)) next.add(service);
      return next;
    });
  const jumpTo = (service: string) => {
    setJump({ service, nonce: (jump?.nonce ?? 0) + 1 });
    setOpen((prev) => new Set([...prev, service]));
  };

  const grouped = phases(changing);
  const titles = phaseTitles(grouped);
  return (
    <div className="divide-y divide-slate-100">
      {grouped.map(([phase, list], i) => (
        <div key={phase} data-phase={phase}>
          <h3 className="bg-slate-50 px-5 py-1.5 text-xs font-semibold tracking-wide text-slate-600 uppercase">{titles[i]}</h3>
          <ol className="divide-y divide-slate-100" aria-label={titles[i]}>
            {list.map((s) => (
              <StepRow
                key={s.key}
                app={app}
                stage={stage}
                number={number}
                step={s}
                open={open.has(s.key)}
                onToggle={() => toggle(s.key)}
                onJump={() => jumpTo(s.key)}
                jump={jump?.service === s.key && s.error ? { error: s.error, nonce: jump.nonce } : null}
                polling={polling}
              />
            ))}
          </ol>
        </div>
      ))}
      {unchanged.length > 0 && (
        <p data-testid="unchanged-steps" className="px-5 py-3 text-sm text-slate-700">
          <span className="font-medium">
            {unchanged.length} {unchanged.length === 1 ? "service" : "services"} unchanged:
          </span>{" "}
          {unchanged.map((s) => s.key).join(", ")}
        </p>
      )}
    </div>
  );
}
