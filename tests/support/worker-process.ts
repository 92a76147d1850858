// Worker processes for tests of several workers: `npm run worker` as a child, ready once it says so.
import { spawn, type ChildProcess } from "node:child_process";

export function spawnWorker(env: Record<string, string> = {}): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/worker/main.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stderr!.on("data", (d) => (out += d));
  return new Promise((resolve, reject) => {
    proc.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("[worker] ready")) resolve(proc);
    });
    proc.on("exit", (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${out}`)));
  });
}

export const exited = (proc: ChildProcess) => new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
