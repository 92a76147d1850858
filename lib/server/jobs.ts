import "server-only";
import { z } from "zod";
import type { Prisma } from "@/lib/server/db";

// Every job the worker runs: its name and its payload's schema, in one place. Jobs are added with
// graphile-worker's public `add_job` inside the caller's transaction, so a job exists exactly when
// the change that asks for it commits. The worker's handlers live in lib/worker/tasks/.

export const JOBS = {
  /** run a queued build to its end (one at a time per stage: its queue is the stage's) */
  run_build: z.object({ buildId: z.number().int().positive() }),
  /** a build ended (success, failed, canceled): what follows a build's end hangs off this */
  build_finished: z.object({ buildId: z.number().int().positive() }),
  /** one attempt at sending one notification delivery (a failed attempt schedules the next one itself) */
  notify: z.object({ deliveryId: z.number().int().positive() }),
} as const;

export type TJobName = keyof typeof JOBS;
export type TJobPayload<N extends TJobName> = z.infer<(typeof JOBS)[N]>;

export interface TJob<N extends TJobName = TJobName> {
  name: N;
  payload: TJobPayload<N>;
  /** jobs of one queue run one at a time, in order */
  queue?: string;
  /** a job with the same key replaces the waiting one (graphile-worker's job_key) */
  key?: string;
  /** flag the job with the app of this stage (appFlag): workers skip the apps at their cap */
  appOfStage?: number;
  /** not before (default: now) */
  runAt?: Date;
  /** graphile-worker's own retries, for errors the handler does not handle (default 25) */
  maxAttempts?: number;
}

type TSql = Pick<Prisma.TransactionClient, "$queryRaw">;

export async function enqueue<N extends TJobName>(tx: TSql, job: TJob<N>): Promise<void> {
  const payload = JOBS[job.name].parse(job.payload);
  await tx.$queryRaw`SELECT graphile_worker.add_job(${job.name}, ${JSON.stringify(payload)}::json,
    queue_name := ${job.queue ?? null}::text, job_key := ${job.key ?? null}::text,
    run_at := ${job.runAt ?? null}::timestamptz, max_attempts := ${job.maxAttempts ?? null}::int,
    -- the flag of appFlag (lib/core/workers.ts)
    flags := (SELECT ARRAY['app:' || app_id] FROM stages WHERE id = ${job.appOfStage ?? null}::int))`;
}

/** Whether a job with this key waits or runs now. */
export async function hasJob(tx: TSql, key: string): Promise<boolean> {
  const rows = await tx.$queryRaw<unknown[]>`SELECT 1 FROM graphile_worker.jobs WHERE key = ${key} LIMIT 1`;
  return rows.length > 0;
}

/** The job that runs a build: keyed by the build, in its stage's queue. */
export const runBuildJob = (build: { id: number; stageId: number }): TJob<"run_build"> => ({
  name: "run_build",
  payload: { buildId: build.id },
  queue: `stage-${build.stageId}`,
  key: runBuildJobKey(build.id),
  appOfStage: build.stageId,
});

export const runBuildJobKey = (buildId: number) => `build-${buildId}`;

/** Removes a waiting job by its key (a canceled queued build's run_build). */
export async function dequeue(tx: TSql, key: string): Promise<void> {
  await tx.$queryRaw`SELECT graphile_worker.remove_job(${key})`;
}
