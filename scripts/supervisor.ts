// `npm start`'s supervision: a service (the web server, the worker, the embedded PostgreSQL) that
// stops on its own is started again after 1 s, then 2, 4… up to 30 s while it keeps failing; a run
// that lasted `healthyMs` resets the delay. Only stop() (Ctrl-C, SIGTERM) ends it.

/** A started service. */
export interface TRunning {
  /** resolves, with how ("exit code 1", "killed by SIGKILL"), once it has stopped for any reason */
  exited: Promise<string>;
  /** stops it; resolves once it has stopped (a no-op when it has already) */
  stop(): Promise<void>;
}

export interface TSuperviseOptions {
  name: string;
  start: () => Promise<TRunning>;
  log: (line: string) => void;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** a run at least this long counts as healthy: the next restart waits minDelayMs again */
  healthyMs?: number;
}

export interface TSupervised {
  readonly name: string;
  /** ends the restarts and stops the service; resolves once it has stopped */
  stop(): Promise<void>;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Starts the service (a failure of this first start is thrown) and keeps it running until stop(). */
export async function supervise(opts: TSuperviseOptions): Promise<TSupervised> {
  const { name, log } = opts;
  const min = opts.minDelayMs ?? 1_000;
  const max = opts.maxDelayMs ?? 30_000;
  const healthy = opts.healthyMs ?? 60_000;
  let running = await opts.start();
  let startedAt = Date.now();
  let delay = min;
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let starting: Promise<void> | null = null;

  const later = () => {
    const wait = delay;
    delay = Math.min(delay * 2, max);
    timer = setTimeout(() => {
      timer = null;
      starting = attempt();
    }, wait);
  };
  const watch = (run: TRunning) =>
    void run.exited.then((how) => {
      if (stopping || run !== running) return;
      if (Date.now() - startedAt >= healthy) delay = min;
      log(`${name} stopped (${how}): starting it again in ${seconds(delay)}`);
      later();
    });
  const attempt = async () => {
    if (stopping) return;
    try {
      running = await opts.start();
      startedAt = Date.now();
    } catch (e) {
      if (stopping) return;
      log(`${name} could not start: ${message(e)} Trying again in ${seconds(delay)}.`);
      return later();
    }
    if (stopping) return; // stop() stops it
    log(`${name} started again`);
    watch(running);
  };
  watch(running);

  return {
    name,
    stop: async () => {
      stopping = true;
      if (timer) clearTimeout(timer);
      await starting;
      await running.stop();
    },
  };
}

/** Stops the services one after the other, in the order given (`npm start`: worker, web server, PostgreSQL). */
export async function stopInOrder(services: TSupervised[], log: (line: string) => void): Promise<void> {
  for (const service of services) {
    log(`stopping ${service.name}…`);
    await service.stop();
  }
}
