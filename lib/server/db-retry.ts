import "server-only";

// A database outage must not lose a build: the worker's writes (a step's status and end, log
// lines, the sandbox account, the build's end) wait for the database to come back, with backoff,
// instead of failing the step or crashing the process. Only errors that say the connection is gone
// are retried.

const NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "EAI_AGAIN", "ENOTFOUND"]);
// admin shutdown, crash shutdown, cannot connect now, too many connections, connection exceptions
const PG_CODES = new Set(["57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08004", "08006"]);
// Prisma: can't reach the server, timed out, server closed the connection, no connection from the pool in time
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const MESSAGES =
  /Connection terminated|Connection ended|connection timeout|Can't reach database server|Server has closed the connection|terminating connection|the database system is (starting up|shutting down|in recovery mode)/i;

type TErrorish = {
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  meta?: { driverAdapterError?: unknown };
};

/** True when `e` (or what it wraps) says the database connection is gone or cannot be made. */
export function isConnectionError(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== "object" || depth > 4) return false;
  const x = e as TErrorish;
  const code = typeof x.code === "string" ? x.code : "";
  if (NODE_CODES.has(code) || PG_CODES.has(code) || PRISMA_CODES.has(code)) return true;
  if (typeof x.kind === "string" && (ADAPTER_KINDS.has(x.kind) || (x.kind === "postgres" && PG_CODES.has(code)))) return true;
  if (typeof x.message === "string" && MESSAGES.test(x.message)) return true;
  const inner = [x.cause, x.meta?.driverAdapterError, ...(Array.isArray(x.errors) ? x.errors : [])];
  return inner.some((i) => isConnectionError(i, depth + 1));
}

export const DATABASE_UNAVAILABLE = "The database cannot be reached right now; try again in a few seconds.";

/** One line for the log when a request meets a database outage (no stack: the cause is known). */
export function connectionErrorLine(e: unknown): string {
  const message = e instanceof Error ? e.message.trim().split("\n").at(-1) : String(e);
  return `[sprout] database unreachable: ${message || "connection refused"}`;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const MAX_DELAY_MS = 5000;

/** Runs `fn`; while the database is unreachable, tries again with backoff (up to 5 s apart) until it answers. */
export async function withDbRetry<T>(what: string, fn: () => Promise<T>): Promise<T> {
  let delay = 200;
  let since: number | null = null;
  for (;;) {
    try {
      const value = await fn();
      if (since !== null) console.log(`[sprout] database back after ${Math.round((Date.now() - since) / 1000)} s: ${what} done`);
      return value;
    } catch (e) {
      if (!isConnectionError(e)) throw e;
      if (since === null) {
        since = Date.now();
        console.error(`[sprout] database unreachable while ${what}; trying again until it answers (${firstLine(e)})`);
      }
      await sleep(delay);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.trim().split("\n").pop()!.slice(0, 200);
}
