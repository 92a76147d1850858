import Link from "next/link";
import type { TBuildJson } from "@/lib/core/contracts";

/** "Deploy", "Rollback to #N" (linking #N unless `links` is false), "Rollback of a, b to #N", "Redeploy of #N", "Promoted from dev #N". */
export function BuildKind({
  app,
  stage,
  build,
  className,
  links = true,
}: {
  app: string;
  stage: string;
  build: TBuildJson;
  className?: string;
  links?: boolean;
}) {
  const target = (n: number, inStage = stage) =>
    !links ? (
      <span className="font-medium">#{n}</span>
    ) : (
      <Link
        href={`/apps/${app}/stages/${inStage}/builds/${n}`}
        className="relative z-10 font-medium text-blue-700 hover:underline focus-visible:rounded focus-visible:outline-2 focus-visible:outline-blue-500"
      >
        #{n}
      </Link>
    );
  if (build.kind === "rollback" && build.rollbackOf !== null) {
    return (
      <span className={className} data-kind="rollback">
        <RollbackIcon /> Rollback {build.rollbackServices ? `of ${build.rollbackServices.join(", ")} ` : ""}to {target(build.rollbackOf)}
      </span>
    );
  }
  if (build.kind === "promote" && build.promotedFrom) {
    return (
      <span className={className} data-kind="promote">
        Promoted from {build.promotedFrom.stage} {target(build.promotedFrom.number, build.promotedFrom.stage)}
      </span>
    );
  }
  if (build.redeployOf !== null) {
    return (
      <span className={className} data-kind="redeploy">
        Redeploy of {target(build.redeployOf)}
      </span>
    );
  }
  return (
    <span className={className} data-kind={build.kind}>
      {build.kind === "promote" ? "Promote" : build.kind === "rollback" ? "Rollback" : build.kind === "remove" ? "Remove stacks" : "Deploy"}
    </span>
  );
}

function RollbackIcon() {
  return (
    <svg
      viewBox="0 0 16 16"
      aria-hidden
      className="mr-0.5 inline size-3.5 -translate-y-px text-slate-600"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
    >
      <path d="M6 3.5 2.5 7 6 10.5" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M3 7h6.5a4 4 0 0 1 0 8H8" strokeLinecap="round" />
    </svg>
  );
}
