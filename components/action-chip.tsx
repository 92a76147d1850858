import type { TStepAction } from "@/lib/core/domain";

const ACTION_STYLE: Record<TStepAction, string> = {
  create: "text-emerald-800 bg-emerald-50 ring-emerald-600/30",
  update: "text-blue-800 bg-blue-50 ring-blue-600/30",
  remove: "text-red-800 bg-red-50 ring-red-600/30",
  unchanged: "text-slate-700 bg-slate-100 ring-slate-400/40",
};

/** What a step does to its service: create, update, remove, unchanged. */
export function ActionChip({ action }: { action: TStepAction }) {
  return (
    <span data-action-chip className={`rounded px-1.5 py-px text-[11px] font-medium ring-1 ring-inset ${ACTION_STYLE[action]}`}>
      {action}
    </span>
  );
}
