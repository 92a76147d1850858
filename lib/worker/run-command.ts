import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import { buildEnvironment as buildEnvironmentFrom, type TBuildEnvironmentInput } from "@/lib/core/source/build-environment";

// A service's build command: `/bin/sh -c <command>` in its own process group, with only the
// environment it is given, its output streamed line by line. A time limit or a cancel kills the
// whole group (the shell, what it started, and what those started), first gently, then not.

export interface TOutputLine {
  stream: "stdout" | "stderr";
  text: string;
}

export interface TRunCommandOptions {
  command: string;
  /** An existing folder: the service's path in the workspace. */
  cwd: string;
  /** The whole environment (see buildEnvironment): nothing of the worker's is inherited. */
  env: Record<string, string>;
  /** Called for each line, in order per stream, as it is printed. */
  onLine: (line: TOutputLine) => void;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL. Default 5 s. */
  killGraceMs?: number;
  /** Longer lines are cut, with a note of how much was. Default 16,384 characters. */
  maxLineLength?: number;
  /** How many of the last lines the result keeps. Default 20. */
  tailLines?: number;
}

export interface TRunCommandResult {
  /** Exit code 0, neither timed out nor aborted. */
  ok: boolean;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  /** The last lines of stdout and stderr together, for the step's error. */
  tail: string[];
}

export const DEFAULT_KILL_GRACE_MS = 5000;
export const DEFAULT_MAX_LINE_LENGTH = 16_384;

/** The worker's defaults for buildEnvironment: PATH is the worker's own (where node and npm are). */
export function buildEnvironment(input: Omit<TBuildEnvironmentInput, "path"> & { path?: string }): Record<string, string> {
  return buildEnvironmentFrom({ ...input, path: input.path ?? process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin" });
}

/** Splits a byte stream into lines: UTF-8 across chunk boundaries, \r\n, a last line without \n, over-long lines cut. */
class LineSplitter {
  private partial = "";
  private cut = 0;
  private readonly decoder = new StringDecoder("utf8");
  constructor(
    private readonly max: number,
    private readonly emit: (text: string) => void,
  ) {}

  push(chunk: Buffer): void {
    this.feed(this.decoder.write(chunk));
  }

  end(): void {
    this.feed(this.decoder.end());
    if (this.partial || this.cut) this.flush();
  }

  private feed(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      const piece = nl === -1 ? text.slice(start) : text.slice(start, nl);
      const room = Math.max(this.max - this.partial.length, 0);
      if (piece.length <= room) this.partial += piece;
      else {
        this.partial += piece.slice(0, room);
        this.cut += piece.length - room;
      }
      if (nl === -1) return;
      this.flush();
      start = nl + 1;
    }
  }

  private flush(): void {
    let line = this.partial.endsWith("\r") ? this.partial.slice(0, -1) : this.partial;
    if (this.cut) line += ` … [line cut: ${this.cut} more characters]`;
    this.partial = "";
    this.cut = 0;
    this.emit(line);
  }
}

// Process groups still running: if the worker exits (even on an uncaught error), they die with it
// rather than run on unwatched.
const running = new Set<number>();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const pgid of running) signalGroup(pgid, "SIGKILL");
  });
}

function groupAlive(pgid: number): boolean {
  if (!(pgid > 1)) return false; // never signal -1 (every process) or -0 (our own group)
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  if (!(pgid > 1)) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone
  }
}

/**
 * Runs `command` and resolves when it and every process of its group are done. Rejects only when
 * it cannot start (no such folder); a failing command resolves with `ok: false`.
 */
export async function runCommand(options: TRunCommandOptions): Promise<TRunCommandResult> {
  const grace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const tailSize = options.tailLines ?? 20;
  const stat = await fs.stat(options.cwd).catch(() => null);
  if (!stat?.isDirectory())
    throw new Error(`cannot run \`${summarizeCommand(options.command)}\`: the folder ${options.cwd} does not exist`);

  const started = Date.now();
  const tail: string[] = [];
  if (options.signal?.aborted) return { ok: false, exitCode: null, signal: null, timedOut: false, aborted: true, durationMs: 0, tail };

  installExitHook();
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", options.command], {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const pgid = child.pid ?? 0; // undefined when spawning failed: "error" follows
    running.add(pgid);
    let timedOut = false;
    let aborted = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    const timers: NodeJS.Timeout[] = [];
    let stopping = false;

    let callbackError: unknown = null;
    const line = (stream: TOutputLine["stream"]) => (text: string) => {
      tail.push(text);
      if (tail.length > tailSize) tail.shift();
      if (callbackError) return;
      try {
        options.onLine({ stream, text });
      } catch (e) {
        // a throwing callback must not crash the worker from a stream handler: stop, then reject
        callbackError = e;
        stop();
      }
    };
    const splitters = {
      stdout: new LineSplitter(options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH, line("stdout")),
      stderr: new LineSplitter(options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH, line("stderr")),
    };
    child.stdout.on("data", (c: Buffer) => splitters.stdout.push(c));
    child.stderr.on("data", (c: Buffer) => splitters.stderr.push(c));

    // SIGTERM to the group; SIGKILL to what is left after the grace; then stop waiting for output
    // a process that left the group (setsid) may still hold open.
    const stop = () => {
      if (stopping) return;
      stopping = true;
      signalGroup(pgid, "SIGTERM");
      timers.push(
        setTimeout(() => {
          if (groupAlive(pgid)) signalGroup(pgid, "SIGKILL");
          timers.push(
            setTimeout(() => {
              child.stdout.destroy();
              child.stderr.destroy();
              if (exit) finish();
            }, grace),
          );
        }, grace),
      );
    };
    const onAbort = () => {
      if (exit && !groupAlive(pgid)) return;
      aborted = !exit;
      stop();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    timers.push(
      setTimeout(() => {
        timedOut = !exit;
        stop();
      }, options.timeoutMs),
    );

    let finished = false;
    const finish = () => {
      if (finished || !exit) return;
      finished = true;
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener("abort", onAbort);
      splitters.stdout.end();
      splitters.stderr.end();
      if (callbackError) return reject(callbackError instanceof Error ? callbackError : new Error(String(callbackError)));
      const ok = exit.code === 0 && !timedOut && !aborted;
      resolve({ ok, exitCode: exit.code, signal: exit.signal, timedOut, aborted, durationMs: Date.now() - started, tail: [...tail] });
    };

    child.on("error", (e) => {
      for (const t of timers) clearTimeout(t);
      running.delete(pgid);
      reject(new Error(`cannot run \`${summarizeCommand(options.command)}\`: ${e.message}`));
    });
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      running.delete(pgid);
      // the shell is done: whatever it left running in the background goes with it; and output a
      // process that left the group (setsid) holds open is not waited for beyond the grace
      if (groupAlive(pgid)) stop();
      else
        timers.push(
          setTimeout(() => {
            child.stdout.destroy();
            child.stderr.destroy();
            finish();
          }, grace),
        );
    });
    child.on("close", finish);
  });
}

/** The command as a log or an error names it: its first line, at most 120 characters. */
export function summarizeCommand(command: string): string {
  const first = command.trim().split("\n")[0]!;
  const more = first.length > 120 || command.trim().includes("\n");
  return more ? `${first.slice(0, 117)}...` : first;
}

/** What a failed run's step error says, e.g. "`npm run package` exited with code 2:\n<last lines>". */
export function describeFailure(command: string, result: TRunCommandResult, timeoutMs?: number): string {
  const cmd = `\`${summarizeCommand(command)}\``;
  const what = result.aborted
    ? `${cmd} was canceled`
    : result.timedOut
      ? `${cmd} took longer than ${timeoutMs ? formatDuration(timeoutMs) : "its time limit"} and was stopped`
      : result.signal
        ? `${cmd} was killed by ${result.signal}`
        : `${cmd} exited with code ${result.exitCode}`;
  return result.tail.length ? `${what}:\n${result.tail.join("\n")}` : what;
}

function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const min = ms / 60_000;
  return Number.isInteger(min) ? `${min} min` : `${min.toFixed(1)} min`;
}
