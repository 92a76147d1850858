import "server-only";
import pg from "pg";
import { isConnectionError, MAX_DELAY_MS, sleep } from "@/lib/server/db-retry";

/**
 * graphile-worker's pool. graphile-worker 0.17 neither retries a refused connection nor awaits
 * the call that records a job's end, so one refused connect is an unhandled rejection and the job
 * stays locked: here a connect waits for the database instead, until the pool is ended.
 */
export class RetryingPool extends pg.Pool {
  constructor(config: pg.PoolConfig) {
    super(config);
    // a connection that drops (idle in the pool, or checked out) must not be an unhandled 'error' event
    const onError = (e: Error) => {
      if (!isConnectionError(e)) console.error("[worker] database connection error:", e.message);
    };
    this.on("error", onError);
    this.on("connect", (client) => client.on("error", onError));
  }

  connect(): Promise<pg.PoolClient>;
  connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void) {
    // the callback form is graphile-worker's LISTEN connection, which reconnects with its own backoff
    if (callback) return super.connect(callback);
    return this.connectRetrying();
  }

  private async connectRetrying(): Promise<pg.PoolClient> {
    let delay = 200;
    for (;;) {
      try {
        return await super.connect();
      } catch (e) {
        if (this.ending || !isConnectionError(e)) throw e;
        await sleep(delay);
        delay = Math.min(delay * 2, MAX_DELAY_MS);
      }
    }
  }
}
