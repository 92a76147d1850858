// What the build runner is given by its worker, and how it asks graphile-worker to try again later.

export interface TRunOptions {
  workerId: string;
  leaseMs: number;
  stepConcurrency: number;
  /** aborted on SIGTERM: start no new step, let running ones end, hand the build back */
  shutdown: AbortSignal;
  /** aborted when the drain time after SIGTERM is over: running steps stop and are handed back */
  hardStop: AbortSignal;
  /** how often a running build looks for a cancel (default 1000 ms) */
  cancelPollMs?: number;
  /** the worker ids this process runs jobs under: its reaper never takes its own builds away */
  selfIds: Set<string>;
}

/** Thrown to make graphile-worker try the job again later (another build of the stage is running, or a shutdown handed it back). */
export class RetryLater extends Error {}
