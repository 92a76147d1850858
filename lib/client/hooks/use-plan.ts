"use client";
import "client-only";
import { useQuery, type QueryKey } from "@tanstack/react-query";
import { apiGet, ApiError } from "@/lib/client/api-client";

/**
 * A plan the server computes for a dialog (`{ plan }` at `path`): fetched afresh each time the dialog
 * opens, and not retried (its error is shown: `planLoadError`).
 */
export function usePlan<T>(queryKey: QueryKey, path: string, enabled = true) {
  return useQuery({
    queryKey,
    queryFn: ({ signal }) => apiGet<{ plan: T }>(path, signal).then((r) => r.plan),
    enabled,
    staleTime: 0,
    retry: false,
  });
}

/** What a dialog says when its plan could not be loaded; null when it was (or is loading). */
export const planLoadError = (error: unknown): string | null =>
  error instanceof ApiError ? error.message : error ? "The plan could not be loaded." : null;
