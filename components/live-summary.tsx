import Link from "next/link";
import type { TBuildJson, TLiveJson } from "@/lib/core/contracts";
import { TERMINAL_BUILD_STATUSES } from "@/lib/core/domain";

/**
 * "Live: #15 (release of #13)": what a stage runs now, with links to the builds. Without a live
 * build it says why: nothing deployed, a build changing the stage, or changes made outside Sprout.
 * `links: false` where it sits inside another link (the pipeline's stage card).
 */
export function LiveSummary({
  app,
  stage,
  live,
  latest,
  links = true,
  className = "",
}: {
  app: string;
  stage: string;
  live: TLiveJson | null;
  latest: TBuildJson | null;
  links?: boolean;
  className?: string;
}) {
  const ref = (n: number) =>
    links ? (
      <Link href={`/apps/${app}/stages/${stage}/builds/${n}`} className="font-semibold text-blue-700 underline-offset-2 hover:underline">
        #{n}
      </Link>
    ) : (
      <span className="font-semibold">#{n}</span>
    );
  let body: React.ReactNode;
  if (live) {
    body = (
      <>
        {ref(live.build)}
        {live.releaseOf !== null && <> (release of {ref(live.releaseOf)})</>}
        {live.status !== "success" && <span className="text-amber-800"> · {live.status}, partly applied</span>}
      </>
    );
  } else if (latest && !TERMINAL_BUILD_STATUSES.includes(latest.status)) {
    body = <>changing: {ref(latest.number)} is running</>;
  } else if (latest) {
    body = <span className="text-amber-800">no build&apos;s release (changed outside Sprout; see Settings)</span>;
  } else {
    body = "nothing deployed yet";
  }
  return (
    <span className={className} data-testid="live-summary">
      <span className="font-medium">Live:</span> {body}
    </span>
  );
}

/** The chip on the live build's history row and page. */
export function LiveBadge() {
  return (
    <span
      data-testid="live-badge"
      className="inline-flex shrink-0 items-center gap-1 rounded-full bg-emerald-700 px-2 py-0.5 text-xs font-semibold text-white"
    >
      <svg aria-hidden viewBox="0 0 8 8" className="size-1.5" fill="currentColor">
        <circle cx="4" cy="4" r="4" />
      </svg>
      Live
    </span>
  );
}
