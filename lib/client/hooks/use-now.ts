"use client";
import "client-only";
import { useSyncExternalStore } from "react";

// One timer per interval for the whole page, however many clocks are shown.
interface TClock {
  now: number;
  subscribe: (onChange: () => void) => () => void;
}
const clocks = new Map<number, TClock>();

function clock(intervalMs: number): TClock {
  const existing = clocks.get(intervalMs);
  if (existing) return existing;
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setInterval> | null = null;
  const c: TClock = {
    now: Date.now(),
    subscribe(onChange) {
      listeners.add(onChange);
      if (!timer) {
        c.now = Date.now(); // stale since the last subscriber left; React re-reads it after subscribing
        timer = setInterval(() => {
          c.now = Date.now();
          for (const l of listeners) l();
        }, intervalMs);
      }
      return () => {
        listeners.delete(onChange);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = null;
        }
      };
    },
  };
  clocks.set(intervalMs, c);
  return c;
}

/** The current time, re-rendering every `intervalMs`. */
export function useNow(intervalMs = 1000): number {
  const c = clock(intervalMs);
  return useSyncExternalStore(
    c.subscribe,
    () => c.now,
    // the server's clock at render (whole seconds: stable within one render); hydration reads the browser's
    () => (typeof window === "undefined" ? Math.floor(Date.now() / 1000) * 1000 : c.now),
  );
}

const noop = () => () => {};

/** false while rendering on the server and hydrating, true after: for values only the browser knows (its clock, its time zone). */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}
