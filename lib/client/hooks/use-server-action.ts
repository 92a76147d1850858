"use client";
import "client-only";

import { useState, useTransition } from "react";
import type { TActionResult } from "@/lib/core/contracts";

/**
 * A server action run in a transition: `pending` while it runs, its error message kept in `error`
 * (cleared when it runs again), and on success `onSuccess` (navigate, refresh, …) with its data and
 * the arguments it ran with. `onSettled` runs after either outcome (e.g. invalidate queries anyway).
 */
export function useServerAction<A extends unknown[], T>(
  action: (...args: A) => Promise<TActionResult<T>>,
  { onSuccess, onSettled }: { onSuccess?: (data: T, ...args: A) => unknown; onSettled?: () => unknown } = {},
) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const run = (...args: A) =>
    start(async () => {
      setError(null);
      const result = await action(...args);
      if (result.ok) await onSuccess?.(result.data, ...args);
      else setError(result.error);
      await onSettled?.();
    });
  return { run, pending, error, setError };
}

/** For a card whose several actions share one `pending` and one `error`: `useServerAction(callAction)`, then `run(() => someAction(input))`. */
export const callAction = (fn: () => Promise<TActionResult<unknown>>) => fn();
