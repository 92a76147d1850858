"use client";
import "client-only";
import { useState } from "react";
import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { apiGet, apiPaths } from "@/lib/client/api-client";
import type { TBuildView, TLogLineJson } from "@/lib/core/contracts";
import { TERMINAL_BUILD_STATUSES } from "@/lib/core/domain";
import { mergeLines } from "@/lib/core/log-lines";
import { queryKeys } from "@/lib/client/query-keys";
import { useEventStream } from "@/lib/client/hooks/use-event-stream";

export const isTerminalBuild = (b: Pick<TBuildView, "status">) => TERMINAL_BUILD_STATUSES.includes(b.status);

/**
 * What a step's log query holds: its lines, up to which seq they were read from the API in full,
 * and how many of the step's lines come before the first one held (a long log opens on its tail).
 */
export interface TStepLogData {
  lines: TLogLineJson[];
  cursor: number;
  earlier: number;
}

/**
 * Follows a build live over SSE: `build` snapshots replace the build query's data, `log` lines are
 * merged into the log queries of the steps being shown, `end` closes the stream. Returns whether
 * the stream is up and not silent: while it is not, callers poll (useLiveBuild below, the step logs).
 */
export function useBuildEvents(app: string, stage: string, number: number, enabled: boolean): { streaming: boolean } {
  const qc = useQueryClient();
  // the lines already written are read as the logs' tails: the stream starts after them
  const [after] = useState(() => qc.getQueryData<{ build: TBuildView }>(queryKeys.build(app, stage, number))?.build.logSeq ?? 0);
  return useEventStream(apiPaths.buildEvents(app, stage, number, after), enabled, {
    build: (e) => {
      const data = parse<{ build: TBuildView }>(e);
      if (data?.build) qc.setQueryData(queryKeys.build(app, stage, number), data);
    },
    log: (e) => {
      const data = parse<{ lines: TLogLineJson[] }>(e);
      if (data?.lines?.length) appendLogLines(qc, app, stage, number, data.lines);
    },
    end: () => void qc.invalidateQueries({ queryKey: queryKeys.build(app, stage, number), exact: true }),
  });
}

function parse<T>(e: Event): T | null {
  try {
    return JSON.parse((e as MessageEvent<string>).data) as T;
  } catch {
    return null;
  }
}

/** Merges streamed lines into the log of each step whose log is (or was) open; other steps load theirs when opened. */
export function appendLogLines(qc: QueryClient, app: string, stage: string, number: number, lines: TLogLineJson[]) {
  const byStep = new Map<string, TLogLineJson[]>();
  for (const l of lines) if (l.service) byStep.set(l.service, [...(byStep.get(l.service) ?? []), l]);
  for (const [step, stepLines] of byStep) {
    const key = queryKeys.logs(app, stage, number, step);
    if (!qc.getQueryCache().find({ queryKey: key, exact: true })) continue;
    qc.setQueryData<TStepLogData>(key, (old) => ({
      lines: mergeLines(old?.lines ?? [], stepLines),
      cursor: old?.cursor ?? 0,
      earlier: old?.earlier ?? 0,
    }));
  }
}

/** The build query of a build page (hydrated from its server render): live over SSE, else polled every 2 s until the build ends. */
export function useLiveBuild(app: string, stage: string, number: number) {
  const qc = useQueryClient();
  const key = queryKeys.build(app, stage, number);
  // a build that had ended when the page was rendered has nothing to stream
  const [terminalAtStart] = useState(() => {
    const data = qc.getQueryData<{ build: TBuildView }>(key);
    return data ? isTerminalBuild(data.build) : false;
  });
  const { streaming } = useBuildEvents(app, stage, number, !terminalAtStart);
  const query = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => apiGet<{ build: TBuildView }>(apiPaths.build(app, stage, number), signal),
    refetchInterval: (q) => (streaming || !q.state.data || isTerminalBuild(q.state.data.build) ? false : 2000),
  });
  return { ...query, streaming };
}
