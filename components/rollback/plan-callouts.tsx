import type { TRollbackPlanJson } from "@/lib/core/contracts";
import { shortSha } from "@/lib/client/format";

/** The commits that leave the stage, newest first: sha, message, author. */
export function CommitsUndone({ plan }: { plan: TRollbackPlanJson }) {
  const commits = plan.commitsUndone;
  return (
    <section aria-labelledby="commits-undone-title">
      <h3 id="commits-undone-title" className="mb-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">
        {commits.length === 0
          ? "Commits undone: none"
          : `${commits.length}${plan.commitsTruncated ? "+" : ""} ${commits.length === 1 ? "commit" : "commits"} undone`}
      </h3>
      {commits.length === 0 ? (
        <p className="text-slate-600">#{plan.target} is not older than what is live: this rolls forward and undoes no commit.</p>
      ) : (
        <ul data-testid="commits-undone" className="space-y-1.5">
          {commits.map((c) => (
            <li key={c.sha} className="flex min-w-0 items-baseline gap-2">
              <code className="shrink-0 rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700" title={c.sha}>
                {shortSha(c.sha)}
              </code>
              <span className="min-w-0">
                <span className="text-slate-900">{c.message}</span>
                <span className="text-xs text-slate-600">
                  {" "}
                  · {c.author ?? "unknown author"} · #{c.build}
                </span>
              </span>
            </li>
          ))}
          {plan.commitsTruncated && <li className="text-xs text-slate-600">…and older ones, not listed.</li>}
        </ul>
      )}
    </section>
  );
}

/** What is deleted for good, in red; retained resources are left out by the server. */
export function DestructiveCallout({ plan }: { plan: TRollbackPlanJson }) {
  if (plan.destructive.length === 0) return null;
  return (
    <section
      aria-labelledby="destructive-title"
      data-testid="rollback-destructive"
      className="rounded-lg border border-red-300 bg-red-50 px-3 py-2 text-red-900"
    >
      <h3 id="destructive-title" className="font-semibold">
        Deleted by this rollback
      </h3>
      <ul className="mt-1 list-disc space-y-1 pl-5">
        {plan.destructive.map((d) => (
          <li key={d.service}>{d.message}.</li>
        ))}
      </ul>
    </section>
  );
}

export function PlanWarnings({ plan }: { plan: TRollbackPlanJson }) {
  if (plan.warnings.length === 0) return null;
  return (
    <section aria-labelledby="plan-warnings-title" className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-amber-950">
      <h3 id="plan-warnings-title" className="font-semibold">
        {plan.warnings.length === 1 ? "Worth knowing" : `Worth knowing (${plan.warnings.length})`}
      </h3>
      <ul data-testid="plan-warnings" className="mt-1 list-disc space-y-1 pl-5">
        {plan.warnings.map((w, i) => (
          <li key={i} title={w.message}>
            {w.plain}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function BlockingCallout({ plan }: { plan: TRollbackPlanJson }) {
  if (plan.blocking.length === 0) return null;
  return (
    <ul role="alert" className="space-y-1 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-900">
      {plan.blocking.map((b) => (
        <li key={b.exportName}>
          Blocked: export <span className="font-mono">{b.exportName}</span> of {b.service} is imported by {b.importers.join(", ")}, outside
          this app. Remove those imports first.
        </li>
      ))}
    </ul>
  );
}
