import type { TStepAction } from "@/lib/core/domain";

const ACTION_STYLE: Record<TStepAction, string> = {
  checkout: "text-slate-800 bg-slate-100 ring-slate-400/40",
  package: "text-violet-800 bg-violet-50 ring-violet-600/30",
  create: "text-emerald-800 bg-emerald-50 ring-emerald-600/30",
  update: "text-blue-800 bg-blue-50 ring-blue-600/30",
  remove: "text-red-800 bg-red-50 ring-red-600/30",
  unchanged: "text-slate-700 bg-slate-100 ring-slate-400/40",
};

/** What a step does: check the commit out, package a service, or create, update, remove it (or leave it unchanged). */
export function ActionChip({ action }: { action: TStepAction }) {
  return (
    <span data-action-chip className={`rounded px-1.5 py-px text-[11px] font-medium ring-1 ring-inset ${ACTION_STYLE[action]}`}>
      {action}
    </span>
  );
}
