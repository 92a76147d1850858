"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { apiGet, apiPaths } from "@/lib/client/api-client";
import type { TLogPage } from "@/lib/core/contracts";
import type { TStepLogData } from "@/lib/client/hooks/use-build-events";
import { mergeLines } from "@/lib/core/log-lines";
import { queryKeys } from "@/lib/client/query-keys";

const PAGE = 5000;

/**
 * One step's log. Each fetch reads only what follows the lines already read (the cursor), page by
 * page, showing each page as it lands; lines the live stream appends meanwhile are merged by seq.
 */
export function useStepLog(app: string, stage: string, number: number, step: string, opts: { poll: boolean }) {
  const qc = useQueryClient();
  const key = queryKeys.logs(app, stage, number, step);
  return useQuery({
    queryKey: key,
    queryFn: async ({ signal }) => {
      let cursor = qc.getQueryData<TStepLogData>(key)?.cursor ?? 0;
      for (;;) {
        const page = await apiGet<TLogPage>(apiPaths.logs(app, stage, number, { step, after: cursor, limit: PAGE }), signal);
        cursor = page.lines.at(-1)?.seq ?? cursor;
        const data: TStepLogData = { lines: mergeLines(qc.getQueryData<TStepLogData>(key)?.lines ?? [], page.lines), cursor };
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
}
