"use client";

import { useRouter } from "next/navigation";
import { requireApprovalAction } from "@/lib/server/actions/release-actions";
import { useServerAction } from "@/lib/client/hooks/use-server-action";
import { ErrorAlert } from "@/components/ui/alert";

/** The stage's requireApproval switch (admins): deploys and promotes wait for a second deployer; rollbacks never wait. */
export function ApprovalSetting({
  app,
  stage,
  requireApproval,
  can = true,
  why = null,
}: {
  app: string;
  stage: string;
  requireApproval: boolean;
  can?: boolean;
  why?: string | null;
}) {
  const router = useRouter();
  const { run, pending, error } = useServerAction(requireApprovalAction, { onSuccess: () => router.refresh() });
  return (
    <div className="space-y-2 text-sm">
      <label className="flex items-start gap-2 font-medium text-slate-800">
        <input
          type="checkbox"
          className="mt-0.5 size-4"
          checked={requireApproval}
          disabled={!can || pending}
          title={why ?? undefined}
          onChange={(e) => run({ app, stage, requireApproval: e.target.checked })}
        />
        <span>
          Require approval
          <span className="block font-normal text-slate-600">
            Deploy and promote builds wait, with nothing run, until a deployer other than the one who queued them approves. Builds queued
            after one waiting for approval wait behind it. Rollbacks never wait: they are the emergency exit.
          </span>
        </span>
      </label>
      {!can && why && <p className="text-xs text-slate-600">{why}</p>}
      {error && <ErrorAlert>{error}</ErrorAlert>}
    </div>
  );
}
