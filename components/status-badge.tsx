import type { TBuildStatus, TStepStatus } from "@/lib/core/domain";

type TStatus = TBuildStatus | TStepStatus;

const STYLES: Record<TStatus, { label: string; badge: string; dot: string }> = {
  success: { label: "Success", badge: "bg-emerald-50 text-emerald-700 ring-emerald-600/20", dot: "bg-emerald-500" },
  failed: { label: "Failed", badge: "bg-red-50 text-red-700 ring-red-600/20", dot: "bg-red-500" },
  running: { label: "In progress", badge: "bg-blue-50 text-blue-700 ring-blue-600/20", dot: "bg-blue-500" },
  queued: { label: "Queued", badge: "bg-amber-50 text-amber-800 ring-amber-600/25", dot: "bg-amber-500" },
  canceled: { label: "Canceled", badge: "bg-slate-100 text-slate-600 ring-slate-500/20", dot: "bg-slate-400" },
  pending: { label: "Pending", badge: "bg-white text-slate-600 ring-slate-300", dot: "bg-slate-300" },
  skipped: { label: "Skipped", badge: "bg-slate-50 text-slate-600 ring-slate-300/70", dot: "bg-slate-300" },
  unchanged: { label: "Unchanged", badge: "bg-slate-50 text-slate-600 ring-slate-300/70", dot: "bg-slate-300" },
  awaiting_approval: { label: "Awaiting approval", badge: "bg-violet-50 text-violet-700 ring-violet-600/20", dot: "bg-violet-500" },
  rejected: { label: "Rejected", badge: "bg-slate-100 text-slate-600 ring-slate-500/20", dot: "bg-slate-400" },
};

export function statusLabel(status: TStatus): string {
  return STYLES[status].label;
}

/** A build's or a step's status: one colour per status, a pulsing dot while it runs. */
export function StatusBadge({ status, size = "sm" }: { status: TStatus; size?: "sm" | "md" }) {
  const s = STYLES[status];
  return (
    <span
      data-status={status}
      className={`inline-flex shrink-0 items-center gap-1.5 rounded-full font-medium whitespace-nowrap ring-1 ring-inset ${s.badge} ${
        size === "md" ? "px-2.5 py-1 text-sm" : "px-2 py-0.5 text-xs"
      }`}
    >
      <span className="relative flex size-1.5">
        {status === "running" && <span className={`absolute inline-flex size-full animate-ping rounded-full opacity-75 ${s.dot}`} />}
        <span className={`relative inline-flex size-1.5 rounded-full ${s.dot}`} />
      </span>
      {s.label}
    </span>
  );
}
