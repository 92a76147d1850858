"use client";
import { useEffect, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { apiPaths } from "@/lib/client/api-client";
import { queryKeys } from "@/lib/client/query-keys";

/**
 * Follows a stage over SSE: every `changed` event refetches its build history and what is live. Returns whether the
 * stream is up; while it is not, the history polls (every 3 s, only while a shown build is active).
 */
export function useStageEvents(app: string, stage: string): { streaming: boolean } {
  const qc = useQueryClient();
  const [streaming, setStreaming] = useState(false);

  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const es = new EventSource(apiPaths.stageEvents(app, stage));
    const refetch = () => {
      void qc.invalidateQueries({ queryKey: queryKeys.builds(app, stage) });
      void qc.invalidateQueries({ queryKey: queryKeys.stageInfo(app, stage) });
    };
    // the stream says what changes from now on: after a reconnect, what changed meanwhile is read again
    let opened = false;
    es.onopen = () => {
      if (opened) refetch();
      opened = true;
      setStreaming(true);
    };
    es.onerror = () => setStreaming(false);
    es.addEventListener("changed", refetch);
    return () => {
      es.close();
      setStreaming(false);
    };
  }, [app, stage, qc]);

  return { streaming };
}
