"use client";
import "client-only";
import { useQuery } from "@tanstack/react-query";
import { apiGet, apiPaths } from "@/lib/client/api-client";
import type { TStageInfo } from "@/lib/core/contracts";
import { queryKeys } from "@/lib/client/query-keys";

/** The stage JSON (settings, what is live, newest build); the page hydrates it from its server render. */
export function useStageInfo(app: string, stage: string): TStageInfo | undefined {
  return useQuery({
    queryKey: queryKeys.stageInfo(app, stage),
    queryFn: ({ signal }) => apiGet<{ stage: TStageInfo }>(apiPaths.stage(app, stage), signal),
  }).data?.stage;
}
