import Link from "next/link";
import type { TBuildView } from "@/lib/core/contracts";
import { plainWarning } from "@/lib/core/rollback-impact";

export function Note({ tone, testId, children }: { tone: "info" | "error" | "warning"; testId: string; children: React.ReactNode }) {
  const cls = {
    info: "border-blue-200 bg-blue-50 text-blue-900",
    error: "border-red-200 bg-red-50 text-red-900",
    warning: "border-amber-200 bg-amber-50 text-amber-950",
  }[tone];
  return (
    <div data-testid={testId} className={`rounded-xl border px-4 py-3 text-sm ${cls}`}>
      {children}
    </div>
  );
}

/**
 * What the build's page says above its steps: the rollbacks that restored it, why it was skipped or failed, and
 * the planner's warnings. A failed step's error is shown once, on its step; here only which steps
 * failed, with a jump to each.
 */
export function BuildNotes({ base, build, onJump }: { base: string; build: TBuildView; onJump: (key: string) => void }) {
  const failedSteps = build.steps.filter((s) => s.status === "failed");
  return (
    <>
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
      {build.status === "skipped" && (
        <Note tone="info" testId="build-skipped">
          <span className="font-medium">Skipped: </span>
          {build.supersededBy !== null ? (
            <>
              a newer push,{" "}
              <Link href={`${base}/${build.supersededBy}`} className="font-medium underline underline-offset-2">
                #{build.supersededBy}
              </Link>
              , was queued before this one started. Nothing of it ran.
            </>
          ) : (
            <>{build.skippedReason ?? "it ended without running"}. Nothing of it ran.</>
          )}
        </Note>
      )}
      {build.error && (
        <Note tone="error" testId="build-error">
          <span className="font-medium">Build failed: </span>
          {failedSteps.length === 0 ? (
            build.error
          ) : (
            <>
              {failedSteps.map((s, i) => (
                <span key={s.key}>
                  {i > 0 && ", "}
                  <button
                    type="button"
                    onClick={() => onJump(s.key)}
                    className="font-medium underline underline-offset-2 hover:text-red-950 focus-visible:outline-2 focus-visible:outline-blue-500"
                  >
                    {s.key}
                  </button>
                </span>
              ))}{" "}
              failed (its error and log line are on its step below).
            </>
          )}
        </Note>
      )}
      {build.warnings.length > 0 && (
        <Note tone="warning" testId="build-warnings">
          <p className="font-medium">{build.warnings.length === 1 ? "Warning" : "Warnings"}</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            {build.warnings.map((w, i) => (
              <li key={i} title={w.message}>
                {plainWarning(w, build.kind === "rollback")}
              </li>
            ))}
          </ul>
        </Note>
      )}
    </>
  );
}
