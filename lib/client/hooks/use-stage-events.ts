"use client";
import "client-only";
import { useRef } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { apiPaths } from "@/lib/client/api-client";
import { queryKeys } from "@/lib/client/query-keys";
import { useEventStream } from "@/lib/client/hooks/use-event-stream";

/**
 * Follows a stage over SSE: every `changed` event refetches its build history and what is live.
 * Returns whether the stream is up (and not silent); while it is not, the history polls (every 3 s,
 * only while a shown build is active).
 */
export function useStageEvents(app: string, stage: string): { streaming: boolean } {
  const qc = useQueryClient();
  const refetch = () => {
    void qc.invalidateQueries({ queryKey: queryKeys.builds(app, stage) });
    void qc.invalidateQueries({ queryKey: queryKeys.stageInfo(app, stage) });
  };
  // the stream says what changes from now on: after a reconnect, what changed meanwhile is read again
  const opened = useRef(false);
  return useEventStream(apiPaths.stageEvents(app, stage), true, {
    ready: () => {
      if (opened.current) refetch();
      opened.current = true;
    },
    changed: refetch,
  });
}
