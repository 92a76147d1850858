// Child processes of `npm start` and of the e2e server, and our own shutdown on SIGINT/SIGTERM/SIGHUP.
import { spawn, type ChildProcess } from "node:child_process";
import type { TRunning } from "./supervisor";

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

/** Replaces every SIGINT/SIGTERM/SIGHUP listener by `stop`. */
export function onShutdownSignals(stop: () => void): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, stop);
  }
}

const live = new Set<number>();
let exitHook = false;

/**
 * `node <args>` in a process group of its own, so that the terminal's Ctrl-C reaches only
 * `npm start`, which decides the order things stop in. Resolves once it runs. stop(): SIGTERM to
 * the child (a worker lets its running steps finish), SIGKILL to its whole group after `graceMs`.
 */
export function startChild(opts: { args: string[]; env: NodeJS.ProcessEnv; graceMs: number }): Promise<TRunning> {
  if (!exitHook) {
    exitHook = true;
    // if `npm start` itself dies, its children do not outlive it
    process.once("exit", () => live.forEach((pid) => signal(-pid, "SIGTERM")));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, opts.args, { env: opts.env, stdio: ["ignore", "inherit", "inherit"], detached: true });
    const exited = new Promise<string>((done) => {
      child.once("exit", (code, sig) => {
        live.delete(child.pid!);
        done(sig ? `killed by ${sig}` : `exit code ${code}`);
      });
    });
    child.once("error", (e) => reject(new Error(`could not run ${process.execPath}: ${e.message}`)));
    child.once("spawn", () => {
      live.add(child.pid!);
      resolve({
        exited,
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          signal(child.pid!, "SIGTERM");
          const timer = setTimeout(() => signal(-child.pid!, "SIGKILL"), opts.graceMs);
          await exited;
          clearTimeout(timer);
        },
      });
    });
  });
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
