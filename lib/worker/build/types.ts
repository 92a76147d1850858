// What the build runner is given by its worker, and how it asks graphile-worker to try again later.

export interface TRunOptions {
  workerId: string;
  leaseMs: number;
  stepConcurrency: number;
  /** aborted on SIGTERM: start no new step, let running ones end, hand the build back */
  shutdown: AbortSignal;
}

/** Thrown to make graphile-worker try the job again later (another build of the stage is running, or a shutdown handed it back). */
export class RetryLater extends Error {}
