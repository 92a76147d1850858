import "server-only";
import type { Task, TaskList } from "graphile-worker";
import { JOBS, type TJobName, type TJobPayload } from "@/lib/server/jobs";
import { RetryLater, type TRunOptions } from "@/lib/worker/build/types";
import { buildFinished } from "./build-finished";
import { notify } from "./notify";
import { runBuild } from "./run-build";

// The worker's handler for each job of lib/server/jobs.ts, one file per job. A payload is parsed
// with the job's schema before its handler runs. A runner is given the handlers of the jobs it
// takes (graphile-worker fetches only those): builds and notifications run in runners of their own.

type THandlers = { [N in TJobName]: (payload: TJobPayload<N>, workerId: string) => Promise<void> };

export function taskList(opts: Omit<TRunOptions, "workerId">, fallbackWorkerId: string, names: readonly TJobName[]): TaskList {
  const handlers: THandlers = {
    run_build: ({ buildId }, workerId) => {
      opts.selfIds.add(workerId);
      return runBuild(buildId, { ...opts, workerId });
    },
    build_finished: (payload) => buildFinished(payload),
    notify: (payload) => notify(payload),
  };
  const task =
    <N extends TJobName>(name: N): Task =>
    async (payload, helpers) => {
      try {
        await handlers[name](JOBS[name].parse(payload) as TJobPayload<N>, helpers.job.locked_by ?? fallbackWorkerId);
      } catch (e) {
        if (e instanceof RetryLater) helpers.logger.debug(e.message);
        throw e;
      }
    };
  return Object.fromEntries(names.map((name) => [name, task(name)]));
}
