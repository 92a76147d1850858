import "server-only";
import { spawn } from "node:child_process";
import { maskSecrets } from "@/lib/core/mask";

// Every git command Sprout runs: no shell, a fixed set of transports, no prompt, a time limit and
// a cap on output. git runs in its own session (detached): it has no terminal to prompt on, and a
// time limit kills it with the helpers it started (ssh, git-remote-https).

export type TSourceErrorCode =
  | "invalid_argument" // a ref, path or id Sprout refuses before running git
  | "not_synced" // the mirror was never fetched
  | "unknown_ref" // no branch, tag or commit of that name
  | "not_a_file" // a folder, symbolic link or submodule where a file was expected
  | "file_too_large"
  | "git_failed"
  | "git_timeout"
  | "output_too_large";

/** An expected failure of the source feature: its message is meant for the build log, as is. */
export class SourceError extends Error {
  readonly code: TSourceErrorCode;
  constructor(code: TSourceErrorCode, message: string) {
    super(message);
    this.name = "SourceError";
    this.code = code;
  }
}

/** A git command that failed: which one, its exit code and its stderr (credentials masked). */
export class GitError extends SourceError {
  readonly command: string;
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(
    code: "git_failed" | "git_timeout" | "output_too_large",
    command: string,
    exitCode: number | null,
    stderr: string,
    message: string,
  ) {
    super(code, message);
    this.name = "GitError";
    this.command = command;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

// Transports: https, ssh and local only (ext:: and fd:: run commands; git:// is unauthenticated).
// No background gc or maintenance after a fetch: pruning is explicit and serialized (mirror.ts).
const CONFIG = [
  "protocol.allow=never",
  "protocol.https.allow=always",
  "protocol.http.allow=always",
  "protocol.ssh.allow=always",
  "protocol.file.allow=always",
  "protocol.ext.allow=never",
  "protocol.fd.allow=never",
  "core.hooksPath=/dev/null",
  "core.fsmonitor=false",
  "gc.auto=0",
  "maintenance.auto=false",
  "credential.interactive=never",
].flatMap((c) => ["-c", c]);

// What `git rev-parse --local-env-vars` lists: inherited, they would point git at another repository.
const REPOSITORY_ENV = new Set([
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_CONFIG",
  "GIT_CONFIG_PARAMETERS",
  "GIT_CONFIG_COUNT",
  "GIT_OBJECT_DIRECTORY",
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_IMPLICIT_WORK_TREE",
  "GIT_GRAFT_FILE",
  "GIT_INDEX_FILE",
  "GIT_NO_REPLACE_OBJECTS",
  "GIT_REPLACE_REF_BASE",
  "GIT_PREFIX",
  "GIT_INTERNAL_SUPER_PREFIX",
  "GIT_SHALLOW_FILE",
  "GIT_COMMON_DIR",
  "GIT_NAMESPACE",
  "GIT_CEILING_DIRECTORIES",
]);

/** The host's environment (HOME, SSH_AUTH_SOCK, credential helpers) without another repository's pointers. */
function gitEnvironment(extra: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env))
    if (!REPOSITORY_ENV.has(k) && !k.startsWith("GIT_CONFIG_KEY_") && !k.startsWith("GIT_CONFIG_VALUE_")) env[k] = v;
  return { ...env, GIT_TERMINAL_PROMPT: "0", GIT_LITERAL_PATHSPECS: "1", GCM_INTERACTIVE: "never", LC_ALL: "C", ...extra };
}

export interface TGitOptions {
  /** The repository (--git-dir); omit for commands that take none (init, ls-remote). */
  gitDir?: string;
  /** --work-tree, for checkouts into a workspace. */
  workTree?: string;
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
  maxOutputBytes?: number;
  /** Exit codes that are not failures (default [0]). */
  okExitCodes?: number[];
}

export interface TGitResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

export const GIT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;
const STDERR_KEEP = 4000;

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

/** Hides credentials a URL or a helper may have put in git's stderr. */
export function sanitizeGitOutput(text: string): string {
  return maskSecrets(text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, "$1***@")).trim();
}

/** Runs `git <args>` and resolves with its output, or rejects with a GitError naming the command. */
export function git(args: readonly string[], options: TGitOptions = {}): Promise<TGitResult> {
  const command = `git ${args.find((a, i) => !a.startsWith("-") && args[i - 1] !== "-c") ?? ""}`.trim();
  const full = [
    ...CONFIG,
    ...(options.gitDir ? [`--git-dir=${options.gitDir}`] : []),
    ...(options.workTree ? [`--work-tree=${options.workTree}`] : []),
    ...args,
  ];
  const timeoutMs = options.timeoutMs ?? GIT_TIMEOUT_MS;
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const ok = options.okExitCodes ?? [0];

  return new Promise((resolve, reject) => {
    const child = spawn("git", full, {
      env: gitEnvironment(options.env ?? {}) as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = "";
    let failure: "git_timeout" | "output_too_large" | null = null;
    let escalate: NodeJS.Timeout | undefined;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const stop = (why: "git_timeout" | "output_too_large") => {
      failure ??= why;
      killGroup("SIGTERM");
      escalate ??= setTimeout(() => killGroup("SIGKILL"), 2000);
    };
    const timer = setTimeout(() => stop("git_timeout"), timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOutput) stop("output_too_large");
      else out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err = (err + chunk.toString("utf8")).slice(-STDERR_KEEP);
    });
    child.stdin.on("error", () => {}); // git may exit before reading its input; its exit code says why
    child.stdin.end(options.input ?? "");
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new GitError("git_failed", command, null, "", `${command} could not start: ${e.message} (is git installed and on PATH?)`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      clearTimeout(escalate);
      const stderr = sanitizeGitOutput(err);
      if (failure === "git_timeout")
        return reject(
          new GitError(
            "git_timeout",
            command,
            code,
            stderr,
            `${command} took longer than ${seconds(timeoutMs)} and was stopped${stderr ? `: ${stderr}` : ""}`,
          ),
        );
      if (failure === "output_too_large")
        return reject(
          new GitError("output_too_large", command, code, stderr, `${command} printed more than ${maxOutput} bytes and was stopped`),
        );
      if (code === null || !ok.includes(code))
        return reject(
          new GitError(
            "git_failed",
            command,
            code,
            stderr,
            `${command} failed (exit ${code ?? "by signal"})${stderr ? `: ${stderr}` : ""}`,
          ),
        );
      resolve({ stdout: Buffer.concat(out), stderr, exitCode: code });
    });
  });
}

/** True when git failed because another git process holds one of the repository's lock files. */
export function isLockContention(e: unknown): boolean {
  return (
    e instanceof GitError &&
    /\.lock'?: File exists|Unable to create '[^']*\.lock'|cannot lock ref|Another git process seems to be running/i.test(e.stderr)
  );
}
