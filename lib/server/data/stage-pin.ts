import "server-only";
import { AppError } from "@/lib/core/errors";
import { actorLabel } from "@/lib/core/roles";
import type { TPinJson } from "@/lib/core/contracts";

// A stage pinned by a successful rollback, as the API shows it, and the 423 that a deploy or a
// promote into it answers.

type TPinRow = {
  name: string;
  appId: number;
  pinnedBuild: number | null;
  pinnedRollback: number | null;
  pinnedBy: string | null;
  pinnedAt: Date | null;
  pinnedReason: string | null;
};

export function pinJson(st: TPinRow): TPinJson | null {
  if (st.pinnedBuild === null || !st.pinnedAt) return null;
  return {
    build: st.pinnedBuild,
    rollback: st.pinnedRollback,
    by: st.pinnedBy ?? "",
    at: st.pinnedAt.toISOString(),
    reason: st.pinnedReason,
  };
}

/** "stage pinned to #12": a skipped push build's reason. */
export const pinnedReason = (build: number) => `stage pinned to #${build}`;

/** 423: what is refused, why, and the two ways forward. */
export function pinnedError(st: TPinRow, app: string, doing: "deploy" | "promote" | "redeploy"): AppError {
  const pin = pinJson(st)!;
  const by = pin.by ? ` by ${actorLabel(pin.by)}` : "";
  return new AppError(
    "locked",
    `Stage ${st.name} is pinned to #${pin.build} after a rollback${by} (${pin.at}): a ${doing} into it is refused until it is unpinned. Unpin it (DELETE /api/apps/${app}/stages/${st.name}/pin, or Unpin on the stage page), or send force: true to ${doing} anyway, which unpins it.`,
    { pinned: pin },
  );
}

/** The early 423, before any planning: the same check runs again under the stage row's lock when the build is queued. */
export function assertUnpinned(st: TPinRow, app: string, doing: "deploy" | "promote" | "redeploy", force: boolean | undefined): void {
  if (st.pinnedBuild !== null && !force) throw pinnedError(st, app, doing);
}
