import "server-only";
import os from "node:os";
import { Logger, run, type Runner } from "graphile-worker";
import { db, databaseUrl } from "@/lib/server/db";
import { runNow, runBuildJobKey } from "@/lib/server/jobs";
import { taskList } from "./tasks";

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
  const workerId = `${os.hostname()}-${process.pid}`;
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
    taskList: taskList({ leaseMs, stepConcurrency, shutdown: shutdown.signal }, workerId),
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
        const stale = await db.build.findMany({ where: { status: "running", leaseUntil: { lt: new Date() } }, select: { id: true } });
        await runNow(
          db,
          stale.map((b) => runBuildJobKey(b.id)),
        );
      }
    } catch (e) {
      console.error("[sprout] reaper failed", e);
    }
  };
  const reaper = setInterval(reap, Math.max(500, Math.floor(leaseMs / 2)));
  void reap();

  return {
    id: workerId,
    stop: async () => {
      clearInterval(reaper);
      shutdown.abort();
      await runner.stop();
    },
  };
}
