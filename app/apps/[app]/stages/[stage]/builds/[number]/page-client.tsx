"use client";
import { useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { TAccess } from "@/lib/core/roles";
import { apiPaths } from "@/lib/client/api-client";
import { isTerminalBuild, useLiveBuild } from "@/lib/client/hooks/use-build-events";
import { useStageInfo } from "@/lib/client/hooks/use-stage-info";
import { queryKeys } from "@/lib/client/query-keys";
import { BuildHeader } from "@/components/build/build-header";
import { BuildNotes } from "@/components/build/build-notes";
import { BuildProgress, progressText } from "@/components/build/build-progress";
import { StepList } from "@/components/build/step-list";
import { statusLabel } from "@/components/status-badge";

const OUTCOME: Record<string, string> = { success: "succeeded", failed: "failed", canceled: "was canceled" };

/** A build, live; the server's build and stage JSON are hydrated into their queries. */
export function BuildPageClient({
  app,
  stage: stageName,
  number,
  access,
  me = null,
}: {
  app: string;
  stage: string;
  number: number;
  access: TAccess;
  /** the viewer's label, for approvals */
  me?: string | null;
}) {
  const qc = useQueryClient();
  const { data, streaming } = useLiveBuild(app, stageName, number);
  const stage = useStageInfo(app, stageName);
  const build = data?.build;
  const live = !build || !isTerminalBuild(build);
  const [jumpRequest, setJumpRequest] = useState<{ key: string } | null>(null);

  // the build ended while watched: what is live may have changed with it
  const wasLive = useRef(live);
  useEffect(() => {
    if (wasLive.current && !live) void qc.invalidateQueries({ queryKey: queryKeys.stageInfo(app, stageName) });
    wasLive.current = live;
  }, [live, qc, app, stageName]);

  // the tab says how it is going, so a background tab answers "is it done?"
  const status = build?.status;
  useEffect(() => {
    if (status) document.title = `${statusLabel(status)} · #${number} · ${stageName} · ${app} · Sprout`;
  }, [status, number, stageName, app]);

  if (!build || !stage) return null;
  return (
    <div className="space-y-5">
      {/* the outcome, announced once when the build ends; its log lines are not announced */}
      <p role="status" className="sr-only" data-testid="build-outcome">
        {live ? "" : `Build #${number} ${OUTCOME[build.status] ?? build.status}. ${progressText(build.steps).text}.`}
      </p>
      <BuildHeader app={app} stage={stage} build={build} access={access} me={me} />
      <BuildNotes base={`/apps/${app}/stages/${stageName}/builds`} build={build} onJump={(key) => setJumpRequest({ key })} />
      <section aria-labelledby="steps-title" className="rounded-xl border border-slate-200 bg-white shadow-xs">
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-5 py-3">
          <h2 id="steps-title" className="text-sm font-semibold text-slate-800">
            Steps
          </h2>
          <span className="flex items-center gap-3 text-xs text-slate-600">
            {live && <span>{streaming ? "Live" : "Refreshing every 2 s"}</span>}
            <a
              href={apiPaths.logDownload(app, stageName, number)}
              download
              className="inline-flex min-h-11 items-center font-medium text-blue-700 underline underline-offset-2 hover:text-blue-900 sm:min-h-0"
            >
              Download full log
            </a>
          </span>
        </div>
        <BuildProgress steps={build.steps} />
        {build.steps.length === 0 ? (
          <p className="px-5 py-10 text-center text-sm text-slate-600">{live ? "Planning the build…" : "This build has no steps."}</p>
        ) : (
          <StepList app={app} stage={stageName} number={number} steps={build.steps} polling={!streaming} jumpRequest={jumpRequest} />
        )}
      </section>
    </div>
  );
}
