import "server-only";
import os from "node:os";
import { Logger, run, type Runner } from "graphile-worker";
import { db, databaseUrl } from "@/lib/server/db";
import { RetryLater, runBuild } from "@/lib/worker/tasks/run-build";

// A worker process: takes build jobs from graphile-worker (one at a time per stage: each stage is a
// named queue), runs them, and reaps builds whose worker died (lease expired) so that they resume.

export interface TWorkerOptions {
  /** builds of different stages run at once by this process */
  concurrency?: number;
  stepConcurrency?: number;
  leaseMs?: number;
  quiet?: boolean;
}

export interface TWorker {
  id: string;
  stop(): Promise<void>;
}

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

export async function startWorker(options: TWorkerOptions = {}): Promise<TWorker> {
  const leaseMs = options.leaseMs ?? env("SPROUT_LEASE_MS", 15_000);
  const stepConcurrency = options.stepConcurrency ?? env("SPROUT_STEP_CONCURRENCY", 8);
  const shutdown = new AbortController();
  const logger = new Logger((scope) => (level, message) => {
    if (options.quiet && level !== "error") return;
    // on Ctrl-C the database may stop at the same moment: its goodbyes are not errors worth showing
    if (shutdown.signal.aborted && /terminating connection|UNLISTEN|Connection terminated|ECONNREFUSED/i.test(message)) return;
    if (level === "debug") return;
    if (level === "info" && /Worker connected|completed task|Stopping|Waiting for/i.test(message)) return;
    console[level === "error" ? "error" : "log"](`[worker${scope.workerId ? ` ${scope.workerId}` : ""}] ${message}`);
  });
  const runner: Runner = await run({
    connectionString: databaseUrl(),
    concurrency: options.concurrency ?? env("SPROUT_WORKER_BUILDS", 4),
    noHandleSignals: true,
    pollInterval: 2000,
    logger,
    parsedCronItems: [], // no cron jobs: without this graphile-worker looks for a crontab file
    taskList: {
      run_build: async (payload, helpers) => {
        const { buildId } = payload as { buildId: number };
        const workerId = helpers.job.locked_by ?? `${os.hostname()}-${process.pid}`;
        try {
          await runBuild(buildId, { workerId, leaseMs, stepConcurrency, shutdown: shutdown.signal });
        } catch (e) {
          if (e instanceof RetryLater) helpers.logger.debug(e.message);
          throw e;
        }
      },
    },
  });

  // A worker that died holds its job's lock; once its lease on a build has run out, unlock it so
  // that a live worker picks the build up again and ends it cleanly.
  const reap = async () => {
    try {
      const dead = await db.$queryRaw<{ worker_id: string }[]>`
        SELECT DISTINCT worker_id FROM builds WHERE status = 'running' AND lease_until < now() AND worker_id IS NOT NULL`;
      if (dead.length) {
        await db.$executeRaw`SELECT graphile_worker.force_unlock_workers(${dead.map((d) => d.worker_id)}::text[])`;
        // and make the job runnable now rather than after its retry back-off
        await db.$executeRaw`UPDATE graphile_worker._private_jobs SET run_at = now()
          WHERE key = ANY(SELECT 'build-' || id FROM builds WHERE status = 'running' AND lease_until < now())`;
      }
    } catch (e) {
      console.error("[sprout] reaper failed", e);
    }
  };
  const reaper = setInterval(reap, Math.max(500, Math.floor(leaseMs / 2)));
  void reap();

  return {
    id: `${os.hostname()}-${process.pid}`,
    stop: async () => {
      clearInterval(reaper);
      shutdown.abort();
      await runner.stop();
    },
  };
}
