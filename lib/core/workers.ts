// The worker pool as every process sees it: workers write a heartbeat; one whose heartbeat is older
// than WORKER_FRESH_MS is gone (it no longer counts in the pool, and /api/health says so).

/** how often a worker writes its heartbeat (SPROUT_HEARTBEAT_MS overrides it) */
export const HEARTBEAT_MS = 5_000;
/** a heartbeat older than three missed beats means the worker is gone */
export const freshWithin = (heartbeatMs: number) => 3 * heartbeatMs;

/**
 * How many builds of one app may run at once: the instance's setting, else half the pool (the
 * builds all live workers run at once), at least one. One app's burst then leaves the other half
 * of the slots to the other apps.
 */
export function buildsPerApp({ setting, poolSlots }: { setting: number | null; poolSlots: number }): number {
  if (setting !== null) return Math.max(1, Math.floor(setting));
  return Math.max(1, Math.floor(poolSlots / 2));
}

/** The job flag a run_build job carries: a worker skips the flags of apps at their cap. */
export const appFlag = (appId: number) => `app:${appId}`;
