import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { removeStaleWorkspaces } from "@/lib/server/source/workspace";
import { workspaceId } from "@/lib/worker/source/state";
import { EventEmitter } from "node:events";
import os from "node:os";
import { Logger, run, type Runner, type WorkerEvents } from "graphile-worker";
import { db, databaseUrl } from "@/lib/server/db";
import { enqueue, runBuildJob } from "@/lib/server/jobs";
import { isConnectionError } from "@/lib/server/db-retry";
import { WORKER_ALIVE } from "@/lib/server/data/instance-settings";
import { RetryingPool } from "./pg-pool";
import { taskList } from "./tasks";
import type { TJobName } from "@/lib/server/jobs";
import { cachedAppsAtCap } from "./build/fairness";
import { RetryLater } from "./build/types";
import { startHeartbeat } from "./heartbeat";

// A worker process: takes build jobs from graphile-worker (one at a time per stage: each stage is a
// named queue), runs them, and reaps builds whose worker died (lease expired) so that they resume.
// Stopping it: no new job or step starts; running steps get the drain time to end, then they are
// stopped and their builds handed back to another worker. It writes a heartbeat (lib/worker/heartbeat.ts),
// skips the jobs of apps at their cap (fairness.ts) and counts its failed jobs for the metrics.
// Notification attempts and builds' follow-ups (build_finished) run in a second graphile-worker
// runner with slots of its own: a target that hangs, or a mirror's gc, never holds a build's slot.

export interface TWorkerOptions {
  /** builds of different stages run at once by this process */
  concurrency?: number;
  /** notification attempts and build follow-ups run at once by this process, beside its builds (SPROUT_NOTIFY_CONCURRENCY, default 4) */
  notifyConcurrency?: number;
  stepConcurrency?: number;
  leaseMs?: number;
  /** how long stop() lets running steps finish before it stops them (SPROUT_DRAIN_SECONDS, default 30 s) */
  drainMs?: number;
  /** how often a running build looks for a cancel */
  cancelPollMs?: number;
  quiet?: boolean;
}

export interface TWorker {
  id: string;
  /** resolves once every build this worker ran has ended or been handed back (within about drainMs) */
  stop(): Promise<void>;
  drainMs: number;
}

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** the runner that takes each job: graphile-worker fetches for a runner only the jobs in its task list */
const RUNNER_OF: Record<TJobName, "builds" | "follow-ups"> = { run_build: "builds", build_finished: "follow-ups", notify: "follow-ups" };
const jobsOf = (runner: "builds" | "follow-ups") => (Object.keys(RUNNER_OF) as TJobName[]).filter((name) => RUNNER_OF[name] === runner);
// on Ctrl-C the database may stop at the same moment: its goodbyes are not errors worth showing
const GOODBYES = /terminating connection|UNLISTEN|Connection terminated|ECONNREFUSED/i;

export async function startWorker(options: TWorkerOptions = {}): Promise<TWorker> {
  const leaseMs = options.leaseMs ?? env("SPROUT_LEASE_MS", 15_000);
  const stepConcurrency = options.stepConcurrency ?? env("SPROUT_STEP_CONCURRENCY", 8);
  const drainMs = options.drainMs ?? env("SPROUT_DRAIN_SECONDS", 30) * 1000;
  const shutdown = new AbortController();
  const hardStop = new AbortController();
  const selfIds = new Set<string>();
  const workerId = `${os.hostname()}-${process.pid}`;
  const logger = new Logger((scope) => (level, message) => {
    if (options.quiet && level !== "error") return;
    if (shutdown.signal.aborted && GOODBYES.test(message)) return;
    if (level === "debug") return;
    if (level === "info" && /Worker connected|completed task|Stopping|Waiting for/i.test(message)) return;
    console[level === "error" ? "error" : "log"](`[worker${scope.workerId ? ` ${scope.workerId}` : ""}] ${message}`);
  });
  const concurrency = options.concurrency ?? env("SPROUT_WORKER_BUILDS", 4);
  const heartbeat = await startHeartbeat(workerId, concurrency);
  const events: WorkerEvents = new EventEmitter();
  events.on("pool:create", ({ workerPool }) => {
    heartbeat.addLockId(workerPool.id);
    selfIds.add(workerPool.id);
  });
  events.on("job:error", ({ job, error }) => {
    if (error instanceof RetryLater) return; // waiting for its stage, not a failure
    void db.$executeRaw`INSERT INTO metric_counts (name, labels, value) VALUES ('job_failures', ${job.task_identifier}, 1)`.catch(() => {});
  });
  const pgPool = new RetryingPool({ connectionString: databaseUrl(), max: 10 });
  const taskOptions = {
    leaseMs,
    stepConcurrency,
    shutdown: shutdown.signal,
    hardStop: hardStop.signal,
    cancelPollMs: options.cancelPollMs,
    selfIds,
  };
  const common = {
    pgPool,
    events,
    noHandleSignals: true,
    pollInterval: 2000,
    logger,
    parsedCronItems: [], // no cron jobs: without this graphile-worker looks for a crontab file
  };
  const runners: Runner[] = [];
  try {
    runners.push(
      await run({ ...common, forbiddenFlags: cachedAppsAtCap(), concurrency, taskList: taskList(taskOptions, workerId, jobsOf("builds")) }),
    );
    runners.push(
      await run({
        ...common,
        concurrency: options.notifyConcurrency ?? env("SPROUT_NOTIFY_CONCURRENCY", 4),
        taskList: taskList(taskOptions, workerId, jobsOf("follow-ups")),
      }),
    );
  } catch (e) {
    await Promise.all(runners.map((r) => r.stop()));
    await pgPool.end();
    await heartbeat.stop();
    throw e;
  }

  // A worker that died holds its jobs' locks. Once it is gone (its heartbeat stale, or it stopped)
  // and its lease on a build has run out, unlock its jobs so that a live worker picks the build up
  // again and ends it cleanly; so too its jobs whose build it had not claimed yet. A worker that is
  // only slow keeps its builds (its lease renews late), and so does this process.
  const reap = async () => {
    try {
      const self = [...selfIds];
      const stale = await db.$queryRawUnsafe<{ id: number; stage_id: number; worker_id: string }[]>(
        `SELECT b.id, b.stage_id, b.worker_id FROM builds b WHERE b.status = 'running' AND b.lease_until < now() AND b.worker_id IS NOT NULL
          AND b.worker_id <> ALL($1::text[])
          AND NOT EXISTS (SELECT 1 FROM workers w WHERE b.worker_id = ANY(w.lock_ids) AND ${WORKER_ALIVE})`,
        self,
      );
      const gone = await db.$queryRawUnsafe<{ locked_by: string }[]>(
        `SELECT DISTINCT j.locked_by FROM graphile_worker.jobs j JOIN workers w ON j.locked_by = ANY(w.lock_ids)
          WHERE j.locked_at IS NOT NULL AND j.locked_by <> ALL($1::text[]) AND NOT ${WORKER_ALIVE}`,
        self,
      );
      const lockers = [...new Set([...stale.map((d) => d.worker_id), ...gone.map((g) => g.locked_by)])];
      if (lockers.length) {
        await db.$executeRaw`SELECT graphile_worker.force_unlock_workers(${lockers}::text[])`;
        // the job again, runnable now rather than after its retry back-off, and without its app's
        // flag: the build already counts in its app's running builds, and must not wait for itself
        for (const b of stale) await enqueue(db, { ...runBuildJob({ id: b.id, stageId: b.stage_id }), appOfStage: undefined });
      }
    } catch (e) {
      // a database outage is reported by the writes that wait for it
      if (!shutdown.signal.aborted && !isConnectionError(e)) console.error("[sprout] reaper failed", e);
    }
  };
  const reaper = setInterval(reap, Math.max(500, Math.floor(leaseMs / 2)));
  void reap();
  void cleanWorkspaces();

  let stopping: Promise<void> | null = null;
  return {
    id: workerId,
    drainMs,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(reaper);
        shutdown.abort();
        const drained = setTimeout(() => hardStop.abort(), drainMs);
        try {
          await Promise.all(runners.map((r) => r.stop()));
        } finally {
          clearTimeout(drained);
          await heartbeat.stop();
          await pgPool.end().catch(() => {});
        }
      })()),
  };
}

/** Workspaces a crash left behind: every one but those of builds still running (on any worker). */
async function cleanWorkspaces(): Promise<void> {
  try {
    const running = await db.build.findMany({ where: { status: "running", source: { not: Prisma.DbNull } }, select: { id: true } });
    await removeStaleWorkspaces({ activeIds: running.map((b) => workspaceId(b.id)) });
  } catch (e) {
    console.error("[worker] could not clear old workspaces", e);
  }
}
