"use client";

import Link from "next/link";
import { useQueryClient } from "@tanstack/react-query";
import { approveAction, rejectAction } from "@/lib/server/actions/release-actions";
import { callAction, useServerAction } from "@/lib/client/hooks/use-server-action";
import { queryKeys } from "@/lib/client/query-keys";
import { actorLabel, permit, type TAccess } from "@/lib/core/roles";
import type { TBuildView } from "@/lib/core/contracts";
import { SMALL_BUTTON } from "@/components/ui/button";
import { DisabledAction } from "@/components/ui/disabled-action";

/**
 * A build's approval, for everyone to read ("waiting for approval (queued by ada@…)"), with
 * Approve and Reject for the deployers who may: never the one who queued it. Also says when a
 * queued build waits behind another one's approval.
 */
export function ApprovalPanel({
  app,
  stage,
  build,
  access,
  me,
}: {
  app: string;
  stage: string;
  build: TBuildView;
  access: TAccess;
  me: string | null;
}) {
  const qc = useQueryClient();
  const { run, pending, error } = useServerAction(callAction, {
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.stage(app, stage) }),
  });
  if (build.status === "queued" && build.heldBehind !== null) {
    return (
      <p className="mt-3 rounded-md bg-violet-50 px-3 py-2 text-sm text-violet-900" data-testid="held-behind">
        Waits behind{" "}
        <Link href={`/apps/${app}/stages/${stage}/builds/${build.heldBehind}`} className="font-semibold underline underline-offset-2">
          #{build.heldBehind}
        </Link>
        , which waits for approval: {stage}&apos;s builds run in order.
      </p>
    );
  }
  if (build.status !== "awaiting_approval") return null;
  const may = permit(access, "approve");
  const self = me !== null && me === build.triggeredBy;
  const ref = { app, stage, number: build.number };
  return (
    <div
      className="mt-3 flex flex-wrap items-center gap-3 rounded-md border border-violet-200 bg-violet-50 px-3 py-2 text-sm text-violet-950"
      data-testid="approval"
    >
      <p className="min-w-0 flex-1">
        <span className="font-medium">Waiting for approval</span> (queued by {actorLabel(build.triggeredBy)}): nothing runs until a deployer
        other than them approves it.
      </p>
      {!may.can ? (
        <DisabledAction label="Approve" reason={may.why} />
      ) : self ? (
        <DisabledAction label="Approve" reason={`You queued #${build.number}; another deployer must approve it.`} testId="approve-self" />
      ) : (
        <button type="button" disabled={pending} className={SMALL_BUTTON} onClick={() => run(() => approveAction(ref))}>
          Approve
        </button>
      )}
      {may.can ? (
        <button type="button" disabled={pending} className={SMALL_BUTTON} onClick={() => run(() => rejectAction(ref))}>
          Reject
        </button>
      ) : (
        <DisabledAction label="Reject" reason={may.why} />
      )}
      {error && (
        <p role="alert" className="w-full text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
