"use client";
import "client-only";
import { useCallback, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { apiGet, apiPaths } from "@/lib/client/api-client";
import type { TLogPage } from "@/lib/core/contracts";
import type { TStepLogData } from "@/lib/client/hooks/use-build-events";
import { mergeLines } from "@/lib/core/log-lines";
import { queryKeys } from "@/lib/client/query-keys";

/** the lines a log opens with: its tail */
const TAIL = 2000;
/** lines read forwards (polling) or backwards (scrolling up) at a time */
const PAGE = 5000;

/**
 * One step's log. It opens on its last TAIL lines (a 200,000-line log shows at once); the reader
 * reads earlier ones page by page (`loadEarlier`). Later fetches read only what follows the lines
 * already read (the cursor); lines the live stream appends meanwhile are merged by seq.
 */
export function useStepLog(app: string, stage: string, number: number, step: string, opts: { poll: boolean }) {
  const qc = useQueryClient();
  const key = queryKeys.logs(app, stage, number, step);
  const query = useQuery({
    queryKey: key,
    queryFn: async ({ signal }) => {
      const held = qc.getQueryData<TStepLogData>(key);
      if (!held) {
        const page = await apiGet<TLogPage>(apiPaths.logs(app, stage, number, { step, tail: TAIL }), signal);
        // lines streamed while the tail was read are kept
        const now = qc.getQueryData<TStepLogData>(key);
        return { lines: mergeLines(page.lines, now?.lines ?? []), cursor: page.lines.at(-1)?.seq ?? 0, earlier: page.earlier ?? 0 };
      }
      let cursor = held.cursor;
      for (;;) {
        const page = await apiGet<TLogPage>(apiPaths.logs(app, stage, number, { step, after: cursor, limit: PAGE }), signal);
        cursor = page.lines.at(-1)?.seq ?? cursor;
        const old = qc.getQueryData<TStepLogData>(key) ?? held;
        const data: TStepLogData = { ...old, lines: mergeLines(old.lines, page.lines), cursor };
        if (page.nextAfter === null) return data;
        qc.setQueryData(key, data);
      }
    },
    // logs only grow: comparing 50,000 lines on every update would cost more than it saves
    structuralSharing: false,
    staleTime: Infinity,
    refetchOnMount: "always",
    refetchOnWindowFocus: false,
    refetchInterval: opts.poll ? 2000 : false,
  });

  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const loadEarlier = useCallback(async () => {
    const held = qc.getQueryData<TStepLogData>(key);
    const first = held?.lines[0]?.seq;
    if (!held || first === undefined || !held.earlier || loadingEarlier) return;
    setLoadingEarlier(true);
    try {
      const page = await apiGet<TLogPage>(apiPaths.logs(app, stage, number, { step, before: first, limit: PAGE }));
      qc.setQueryData<TStepLogData>(key, (old) => old && { ...old, lines: mergeLines(page.lines, old.lines), earlier: page.earlier ?? 0 });
    } finally {
      setLoadingEarlier(false);
    }
    // the key is rebuilt each render from these: they are what identifies it
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [qc, app, stage, number, step, loadingEarlier]);

  return { ...query, loadEarlier, loadingEarlier };
}
