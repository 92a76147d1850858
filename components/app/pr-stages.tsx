import Link from "next/link";
import type { TArchivedStage, TStageSummary } from "@/lib/core/contracts";
import { StatusBadge } from "@/components/status-badge";
import { TimeAgo } from "@/components/time-ago";
import { StageCard } from "./pipeline";

/** The stages of open pull requests, in a row of their own under the pipeline: each with its PR number and title. */
export function PrStages({ app, stages }: { app: string; stages: TStageSummary[] }) {
  const prs = stages.filter((s) => s.pullRequest).sort((a, b) => b.pullRequest!.number - a.pullRequest!.number);
  if (!prs.length) return null;
  return (
    <section aria-labelledby="pr-stages-title" className="mb-10">
      <h2 id="pr-stages-title" className="mb-3 text-sm font-semibold text-slate-800">
        Pull requests
      </h2>
      <ul className="flex flex-col gap-3 sm:flex-row sm:flex-wrap" aria-label="Pull request stages">
        {prs.map((s) => (
          <li key={s.name} className="flex">
            <StageCard app={app} stage={s} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Stages out of the pipeline (closed pull requests' once their stacks were removed): their history stays one click away. */
export function ArchivedStages({ app, stages }: { app: string; stages: TArchivedStage[] }) {
  if (!stages.length) return null;
  return (
    <details className="mt-10 rounded-xl border border-slate-200 bg-white shadow-xs" data-testid="archived-stages">
      <summary className="cursor-pointer px-5 py-3 text-sm font-semibold text-slate-800">Archived stages ({stages.length})</summary>
      <ul className="divide-y divide-slate-100 border-t border-slate-200">
        {stages.map((s) => (
          <li key={s.name} className="flex flex-wrap items-center gap-3 px-5 py-2 text-sm">
            <Link href={`/apps/${app}/stages/${s.name}`} className="font-medium text-slate-900 hover:text-blue-700 hover:underline">
              {s.name}
            </Link>
            {s.pullRequest && (
              <span className="min-w-0 flex-1 truncate text-slate-700">
                PR #{s.pullRequest.number}
                {s.pullRequest.title ? ` · ${s.pullRequest.title}` : ""}
              </span>
            )}
            {s.latestBuild && (
              <span className="flex items-center gap-2 text-xs text-slate-600">
                #{s.latestBuild.number} <StatusBadge status={s.latestBuild.status} />
              </span>
            )}
            {s.archivedAt && (
              <span className="text-xs text-slate-600">
                archived <TimeAgo iso={s.archivedAt} />
              </span>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}
