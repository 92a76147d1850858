import type { TRollbackPlanStep } from "@/lib/core/contracts";
import type { TStepAction } from "@/lib/core/domain";
import { typeWords, type TResourceChange } from "@/lib/core/resource-changes";
import { ActionChip } from "@/components/action-chip";

const CHANGE_STYLE: Record<TResourceChange["change"], { sign: string; cls: string; word: string }> = {
  added: { sign: "+", cls: "text-emerald-700", word: "added" },
  modified: { sign: "~", cls: "text-blue-700", word: "modified" },
  removed: { sign: "−", cls: "text-red-700", word: "removed" },
};

const build = (n: number | null, none: string) => (n === null ? none : `#${n}`);

/** "#13 → #12", "not live → #12", "#13 → removed": where the service's artifact comes from and goes to. */
function fromTo(s: TRollbackPlanStep): string {
  const from = s.action === "create" ? "not live" : build(s.fromBuild, "now");
  const to = s.action === "remove" ? "removed" : build(s.toBuild, "an older build");
  return `${from} → ${to}`;
}

/** A step of a plan as the dialogs list it: the service, what happens to it, after which, and its resources. */
interface TListedStep {
  service: string;
  action: TStepAction;
  after: string[];
  resources: TResourceChange[];
}

/**
 * "Services, in run order": the acting steps numbered, each with its action, `details` (after the
 * action chip) and its resource changes (expandable); `empty` when none acts; then those unchanged.
 */
export function ServiceSteps<S extends TListedStep>({
  acting,
  unchanged,
  titleId,
  testId,
  details,
  empty,
}: {
  acting: S[];
  unchanged: S[];
  titleId: string;
  testId: string;
  details: (step: S) => React.ReactNode;
  empty: React.ReactNode;
}) {
  return (
    <section aria-labelledby={titleId}>
      <h3 id={titleId} className="mb-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">
        Services, in run order
      </h3>
      {acting.length ? (
        <ol data-testid={testId} className="divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200">
          {acting.map((s, i) => (
            <li key={s.service} data-service={s.service} data-action={s.action} className="px-3 py-2">
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <span className="w-5 text-right font-mono text-xs text-slate-600">{i + 1}.</span>
                <span className="font-medium text-slate-900">{s.service}</span>
                <ActionChip action={s.action} />
                {details(s)}
              </div>
              <ResourceChanges service={s.service} changes={s.resources} />
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-slate-600">{empty}</p>
      )}
      {unchanged.length > 0 && (
        <p className="mt-2 text-slate-600">
          <span className="font-medium text-slate-700">Unchanged:</span> {unchanged.map((s) => s.service).join(", ")}
        </p>
      )}
    </section>
  );
}

/** The services the rollback changes, in run order: action, builds, and their resource changes (expandable). */
export function PlanServices({ steps }: { steps: TRollbackPlanStep[] }) {
  return (
    <ServiceSteps
      acting={steps.filter((s) => s.changes)}
      unchanged={steps.filter((s) => !s.changes)}
      titleId="plan-services-title"
      testId="rollback-plan"
      empty="No service changes."
      details={(s) => (
        <>
          <span className="font-mono text-xs text-slate-600" data-testid="from-to">
            {fromTo(s)}
          </span>
          {s.after.length > 0 && <span className="text-xs text-slate-600">after {s.after.join(", ")}</span>}
        </>
      )}
    />
  );
}

/** A service's resource changes: a count, expandable into the list (added, modified, removed by logical id). */
export function ResourceChanges({ service, changes }: { service: string; changes: TResourceChange[] }) {
  if (changes.length === 0) return <p className="mt-1 pl-7 text-xs text-slate-600">Same resources; code or settings change.</p>;
  const count = (k: TResourceChange["change"]) => changes.filter((c) => c.change === k).length;
  const summary = (["added", "modified", "removed"] as const)
    .filter((k) => count(k) > 0)
    .map((k) => `${count(k)} ${CHANGE_STYLE[k].word}`)
    .join(", ");
  return (
    <details className="mt-1 pl-7 text-xs">
      <summary className="cursor-pointer rounded text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-blue-500">
        Resources of {service}: {summary}
      </summary>
      <ul className="mt-1 space-y-0.5 font-mono" aria-label={`Resource changes of ${service}`}>
        {changes.map((c) => (
          <li key={`${c.change}:${c.logicalId}`} data-change={c.change} className="flex flex-wrap gap-x-2">
            <span className={`w-3 font-semibold ${CHANGE_STYLE[c.change].cls}`} aria-hidden>
              {CHANGE_STYLE[c.change].sign}
            </span>
            <span className="sr-only">{CHANGE_STYLE[c.change].word}:</span>
            <span className="text-slate-900">{c.logicalId}</span>
            <span className="text-slate-600">
              {c.fromType ? `${typeWords(c.fromType)} → ${typeWords(c.type)} (replaced)` : typeWords(c.type)}
            </span>
            {c.retained && <span className="text-slate-600">kept by its DeletionPolicy</span>}
          </li>
        ))}
      </ul>
    </details>
  );
}
