import type { TStepJson } from "@/lib/core/contracts";
import { TERMINAL_STEP_STATUSES, type TStepStatus } from "@/lib/core/domain";

const OUTCOMES: { status: TStepStatus; word: string }[] = [
  { status: "success", word: "succeeded" },
  { status: "failed", word: "failed" },
  { status: "skipped", word: "skipped" },
  { status: "canceled", word: "canceled" },
];

/**
 * "1 of 3 changes · 1 succeeded · 1 failed · 1 skipped": how many of the changes the build makes
 * are applied, then how each ended; the services it leaves alone are not counted. `done`: the
 * changes that ended, whatever the outcome (the bar's progress).
 */
export function progressText(steps: TStepJson[]): { done: number; total: number; text: string } {
  const changes = steps.filter((s) => s.action !== "unchanged");
  const done = changes.filter((s) => TERMINAL_STEP_STATUSES.includes(s.status)).length;
  const applied = changes.filter((s) => s.status === "success").length;
  // a source build counts its checkout and package steps too: they are steps, not changes
  const word = changes.some((s) => s.action === "checkout" || s.action === "package") ? "step" : "change";
  const parts = [`${applied} of ${changes.length} ${word}${changes.length === 1 ? "" : "s"}`];
  for (const o of OUTCOMES) {
    const n = changes.filter((s) => s.status === o.status).length;
    if (n) parts.push(`${n} ${o.word}`);
  }
  const running = changes.filter((s) => s.status === "running").length;
  if (running) parts.push(`${running} running`);
  return { done, total: changes.length, text: parts.join(" · ") };
}

export function BuildProgress({ steps }: { steps: TStepJson[] }) {
  const { done, total, text } = progressText(steps);
  if (total === 0) return null;
  const failed = steps.some((s) => s.status === "failed");
  const pct = Math.round((done / total) * 100);
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-100 px-5 py-3">
      <div
        role="progressbar"
        aria-label="Changes ended"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={text}
        className="h-2 min-w-32 flex-1 overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className={`h-full rounded-full transition-[width] duration-500 ${failed ? "bg-red-600" : done === total ? "bg-emerald-600" : "bg-blue-600"}`}
          style={{ width: `${pct}%` }}
        />
      </div>
      <span className="shrink-0 text-xs text-slate-700 tabular-nums" data-testid="build-progress">
        {text}
      </span>
    </div>
  );
}
