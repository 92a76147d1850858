import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { normalizeRepoPath } from "@/lib/core/source/repo-path";
import { parseRepositoryUrl } from "@/lib/core/source/repository-url";
import { mirrorsDir, sproutDataDir } from "./data-dir";
import { clearStaleLocks, forceRemove } from "./fs-utils";
import { GitError, SourceError, git, isLockContention } from "./git";

// One bare mirror per app: every build checks out from it, none clones. Writes (fetch, gc,
// removal) run one at a time per mirror in this process, and wait out another process's git locks;
// reads run alongside them, as git allows. A build's end prunes the mirror (`git gc --auto`, through
// the build_finished job) at most once an hour, so a mirror does not grow without bound.

export const FETCH_TIMEOUT_MS = 10 * 60_000;
export const READ_FILE_MAX_BYTES = 1024 * 1024;
/** A lock file older than this outlived the git process that made it (longer than any fetch). */
export const STALE_LOCK_MS = FETCH_TIMEOUT_MS + 60_000;
const LOCK_RETRY_MS = [200, 500, 1000, 2000];
/** How often a sync lets git prune the mirror; the mtime of PRUNED_MARKER in the mirror says when it last did. */
export const PRUNE_INTERVAL_MS = 60 * 60_000;
export const PRUNED_MARKER = "sprout-pruned-at";

const APP_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
export const FULL_SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const SHORT_SHA = /^[0-9a-f]{7,64}$/;

export interface TSyncResult {
  created: boolean;
  /** The fetch's duration (creation included). */
  durationMs: number;
}

/** A prune that ran: how long it took, and why it failed if it did. */
export type TPruneResult = { durationMs: number; error?: string };

export interface TCommitInfo {
  sha: string;
  /** The subject line. */
  message: string;
  /** "Name <email>" */
  author: string;
  /** ISO 8601, the committer's date. */
  committedAt: string;
}

const queues = new Map<string, Promise<unknown>>();
/** Runs `fn` after every earlier write to the same mirror has settled. */
function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(fn, fn);
  const tail = run.then(
    () => {},
    () => {},
  );
  queues.set(key, tail);
  void tail.then(() => queues.get(key) === tail && queues.delete(key));
  return run;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const short = (sha: string) => sha.slice(0, 7);

/**
 * The mirror of `url` for `app` (its id or any stable key: letters, digits, - and _), under
 * ${dataDir}/mirrors/. Nothing runs until a method is called; `sync` creates it on first use.
 */
export function openMirror(options: { app: string | number; url: string; dataDir?: string }): Mirror {
  const app = String(options.app);
  if (!APP_KEY.test(app))
    throw new SourceError("invalid_argument", `the mirror key "${app.slice(0, 40)}" must be letters, digits, - and _ (an app id)`);
  const parsed = parseRepositoryUrl(options.url);
  if (!parsed.ok) throw new SourceError("invalid_argument", `repository URL ${parsed.reason}`);
  const dataDir = path.resolve(options.dataDir ?? sproutDataDir());
  return new Mirror(app, parsed.url, path.join(mirrorsDir(dataDir), `app-${app}.git`), dataDir);
}

export class Mirror {
  constructor(
    readonly app: string,
    /** Normalized; passed to git as one argument after "--". */
    readonly url: string,
    /** The bare repository's folder. */
    readonly dir: string,
    /** The data directory it lives in (workspaces checked out from it go there too). */
    readonly dataDir: string,
  ) {}

  /** Creates the mirror if needed, then fetches every branch and tag (pruning deleted ones). */
  sync(options: { timeoutMs?: number } = {}): Promise<TSyncResult> {
    return serialized(this.dir, async () => {
      const started = Date.now();
      const created = await this.ensure();
      const refspecs = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];
      await this.retryLocks(() =>
        git(
          ["fetch", "--prune", "--no-tags", "--no-write-fetch-head", "--", this.url, ...refspecs],
          this.opts(options.timeoutMs ?? FETCH_TIMEOUT_MS),
        ),
      );
      return { created, durationMs: Date.now() - started };
    });
  }

  /**
   * Fetches one ref the branches do not cover, such as a pull request's head (`refs/pull/7/head`,
   * `refs/merge-requests/7/head`), keeps it under the same name and gives its commit.
   */
  async fetchRef(ref: string, options: { timeoutMs?: number } = {}): Promise<string> {
    if (!/^refs\/[A-Za-z0-9._+/-]+$/.test(ref) || /\.\.|\/\/|\/$|\.lock$|\/\./.test(ref))
      throw new SourceError(
        "invalid_argument",
        `"${ref.slice(0, 80)}" is not a ref Sprout fetches: give a full ref such as refs/pull/7/head`,
      );
    return serialized(this.dir, async () => {
      await this.ensure();
      try {
        await this.retryLocks(() =>
          git(
            ["fetch", "--no-tags", "--no-write-fetch-head", "--", this.url, `+${ref}:${ref}`],
            this.opts(options.timeoutMs ?? FETCH_TIMEOUT_MS),
          ),
        );
      } catch (e) {
        if (e instanceof GitError && /couldn't find remote ref/i.test(e.stderr))
          throw new SourceError("unknown_ref", `the repository has no ref ${ref}`);
        throw e;
      }
      return this.resolve(ref);
    });
  }

  /**
   * The full sha of a branch, tag, full ref or (at least 7 digits of) a commit sha. A branch wins
   * over a tag, and both over a sha prefix of the same spelling.
   */
  async resolve(ref: string): Promise<string> {
    const name = ref.trim();
    if (!name || name.length > 255 || !/^[A-Za-z0-9._+/-]+$/.test(name) || name.startsWith("-") || /\.\.|\/\/|\/$|\.lock$|@\{/.test(name))
      throw new SourceError("invalid_argument", `"${name.slice(0, 80)}" is not a branch, tag or commit sha`);
    await this.assertSynced();
    const candidates = name.startsWith("refs/")
      ? [name]
      : [`refs/heads/${name}`, `refs/tags/${name}`, ...(SHORT_SHA.test(name) ? [name] : [])];
    const { stdout } = await git(["cat-file", "--batch-check"], {
      gitDir: this.dir,
      input: candidates.map((c) => `${c}^{commit}\n`).join(""),
    });
    const lines = stdout.toString("utf8").trim().split("\n");
    for (const line of lines) {
      const [sha, type] = line.split(" ");
      if (type === "commit" && FULL_SHA.test(sha!)) return sha!;
      if (type === "ambiguous")
        throw new SourceError("unknown_ref", `"${name}" is the start of several commits: give more digits of the sha`);
    }
    const branches = await this.branches(6);
    const list = branches.length
      ? ` (branches: ${branches.slice(0, 5).join(", ")}${branches.length > 5 ? ", ..." : ""})`
      : " (it has no branch yet)";
    throw new SourceError(
      "unknown_ref",
      `unknown ref "${name}": no branch, tag or commit of that name in the repository${list}; if it was pushed just now, fetch again`,
    );
  }

  /** The branches of the mirror, by name (at most `limit`). */
  async branches(limit = 1000): Promise<string[]> {
    const { stdout } = await git(["for-each-ref", `--count=${limit}`, "--format=%(refname:strip=2)", "refs/heads/"], { gitDir: this.dir });
    return stdout.toString("utf8").split("\n").filter(Boolean);
  }

  /** A file's text at `commit` (a full sha), or null when the commit has no such path. */
  async readFile(commit: string, filePath: string, options: { maxBytes?: number } = {}): Promise<string | null> {
    this.assertSha(commit, "readFile");
    const p = normalizeRepoPath(filePath);
    if (!p.ok || p.path === ".")
      throw new SourceError("invalid_argument", `"${filePath.slice(0, 120)}" ${p.ok ? "names the repository root, not a file" : p.reason}`);
    await this.assertSynced();
    const { stdout } = await git(["ls-tree", "-z", "-l", commit, "--", p.path], { gitDir: this.dir });
    const entry = stdout.toString("utf8").split("\0")[0];
    if (!entry) return null;
    const [meta] = entry.split("\t");
    const [mode, type, oid, size] = meta!.trim().split(/\s+/);
    const at = `${p.path} at ${short(commit)}`;
    if (type === "tree") throw new SourceError("not_a_file", `${at} is a folder, not a file`);
    if (type === "commit") throw new SourceError("not_a_file", `${at} is a git submodule, not a file`);
    if (mode === "120000") throw new SourceError("not_a_file", `${at} is a symbolic link: Sprout reads regular files only`);
    const maxBytes = options.maxBytes ?? READ_FILE_MAX_BYTES;
    if (Number(size) > maxBytes) throw new SourceError("file_too_large", `${at} is ${Number(size)} bytes, over the limit of ${maxBytes}`);
    const blob = await git(["cat-file", "blob", oid!], { gitDir: this.dir, maxOutputBytes: maxBytes + 1 });
    return blob.stdout.toString("utf8");
  }

  /** The paths (files) that differ between two commits, both full shas; a rename lists both names. */
  async changedPaths(from: string, to: string): Promise<string[]> {
    this.assertSha(from, "changedPaths");
    this.assertSha(to, "changedPaths");
    await this.assertSynced();
    const { stdout } = await git(["cat-file", "--batch-check"], { gitDir: this.dir, input: `${from}^{commit}\n${to}^{commit}\n` });
    const missing = stdout
      .toString("utf8")
      .trim()
      .split("\n")
      .filter((l) => !l.includes(" commit "));
    if (missing.length)
      throw new SourceError(
        "unknown_ref",
        `commit ${short(missing[0]!)} is not in the repository (a force-push may have removed it): compare against another commit, or rebuild every service`,
      );
    const diff = await git(["diff-tree", "-r", "-z", "--name-only", "--no-renames", "--no-commit-id", from, to], { gitDir: this.dir });
    return [...new Set(diff.stdout.toString("utf8").split("\0").filter(Boolean))];
  }

  /** A commit's sha, subject, author and date. `commit` is a full sha. */
  async commitInfo(commit: string): Promise<TCommitInfo> {
    this.assertSha(commit, "commitInfo");
    await this.assertSynced();
    const { stdout } = await git(["show", "-s", "--no-show-signature", "--format=%H%x00%an%x00%ae%x00%cI%x00%s", commit, "--"], {
      gitDir: this.dir,
    }).catch((e) => {
      if (e instanceof GitError && /bad object|unknown revision|bad revision/i.test(e.stderr))
        throw new SourceError("unknown_ref", `commit ${short(commit)} is not in the repository`);
      throw e;
    });
    const [sha, name, email, date, subject] = stdout.toString("utf8").replace(/\n$/, "").split("\0");
    return { sha: sha!, message: subject ?? "", author: `${name} <${email}>`, committedAt: date! };
  }

  /** The branch the repository's HEAD names (asks the remote; falls back to main, master, the only branch). */
  async defaultBranch(options: { timeoutMs?: number } = {}): Promise<string> {
    const { stdout } = await git(["ls-remote", "--symref", "--", this.url, "HEAD"], { timeoutMs: options.timeoutMs ?? 60_000 });
    const m = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(stdout.toString("utf8"));
    if (m) return m[1]!;
    await this.assertSynced();
    const branches = await this.branches();
    const guess = ["main", "master"].find((b) => branches.includes(b)) ?? (branches.length === 1 ? branches[0] : undefined);
    if (!guess)
      throw new SourceError(
        "unknown_ref",
        branches.length
          ? "the repository does not name a default branch: pick one of its branches"
          : "the repository has no branch yet: push one",
      );
    return guess;
  }

  /** Lets git repack and drop what no ref needs any more, if it is due (`git gc --auto`). */
  prune(options: { timeoutMs?: number } = {}): Promise<void> {
    return serialized(this.dir, async () => {
      if (await this.exists()) await this.gc(options.timeoutMs);
    });
  }

  private async gc(timeoutMs = FETCH_TIMEOUT_MS): Promise<void> {
    const marker = path.join(this.dir, PRUNED_MARKER);
    await fs.writeFile(marker, ""); // an attempt counts: a prune that keeps failing is not retried on every sync
    const now = new Date();
    await fs.utimes(marker, now, now);
    // git's own thresholds: 6,700 loose objects or 50 packs; only then does it repack
    await this.retryLocks(() => git(["-c", "gc.auto=6700", "-c", "gc.autoDetach=false", "gc", "--auto", "--quiet"], this.opts(timeoutMs)));
  }

  /**
   * Prunes when the last prune (or the mirror's creation) is over PRUNE_INTERVAL_MS old, never
   * alongside a fetch of this mirror: null when not due (or no mirror). A failed prune is given
   * back as `error`, not thrown.
   */
  pruneIfDue(options: { timeoutMs?: number } = {}): Promise<TPruneResult | null> {
    return serialized(this.dir, async () => ((await this.exists()) ? this.pruneWhenDue(options.timeoutMs) : null));
  }

  private async pruneWhenDue(timeoutMs?: number): Promise<TPruneResult | null> {
    const last = await fs.stat(path.join(this.dir, PRUNED_MARKER)).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    if (Date.now() - last < PRUNE_INTERVAL_MS) return null;
    const started = Date.now();
    try {
      await this.gc(timeoutMs);
      return { durationMs: Date.now() - started };
    } catch (e) {
      return { durationMs: Date.now() - started, error: e instanceof Error ? e.message : String(e) };
    }
  }

  /** Deletes the mirror (the app was disconnected from its repository). */
  remove(): Promise<void> {
    return serialized(this.dir, () => forceRemove(this.dir));
  }

  async exists(): Promise<boolean> {
    return fs.stat(path.join(this.dir, "HEAD")).then(
      () => true,
      () => false,
    );
  }

  private opts(timeoutMs: number) {
    return { gitDir: this.dir, timeoutMs };
  }

  private assertSha(sha: string, what: string) {
    if (!FULL_SHA.test(sha))
      throw new SourceError("invalid_argument", `${what} takes a full commit sha, not "${sha.slice(0, 80)}": resolve the ref first`);
  }

  private async assertSynced() {
    if (!(await this.exists())) throw new SourceError("not_synced", "the repository has not been fetched yet: sync the mirror first");
  }

  /** Creates the bare repository in a temporary folder and renames it into place, so a crash leaves none half-made. */
  private async ensure(): Promise<boolean> {
    if (await this.exists()) return false;
    const parent = path.dirname(this.dir);
    await fs.mkdir(parent, { recursive: true });
    await forceRemove(this.dir); // a folder without HEAD is a leftover, not a mirror
    const tmp = path.join(parent, `.tmp-${path.basename(this.dir)}-${randomBytes(4).toString("hex")}`);
    await git(["init", "--bare", "--quiet", "--", tmp]);
    await git(["config", "core.logAllRefUpdates", "false"], { gitDir: tmp });
    await fs.writeFile(path.join(tmp, PRUNED_MARKER), ""); // a new mirror has nothing to prune for an hour
    try {
      await fs.rename(tmp, this.dir);
      return true;
    } catch (e) {
      await forceRemove(tmp);
      if ((e as NodeJS.ErrnoException).code === "ENOTEMPTY" || (e as NodeJS.ErrnoException).code === "EEXIST") return false; // another process made it first
      throw e;
    }
  }

  /** Waits out a lock another git process holds; clears locks left by a process that died. */
  private async retryLocks<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (e) {
        if (!isLockContention(e)) throw e;
        if (attempt < LOCK_RETRY_MS.length) {
          await sleep(LOCK_RETRY_MS[attempt]!);
          continue;
        }
        const cleared = await clearStaleLocks(this.dir, STALE_LOCK_MS);
        if (cleared.length && attempt === LOCK_RETRY_MS.length) continue;
        throw new GitError(
          (e as GitError).code as "git_failed",
          (e as GitError).command,
          (e as GitError).exitCode,
          (e as GitError).stderr,
          `${(e as GitError).message} (another git process holds a lock on the mirror ${this.dir}; if none runs, delete the .lock file)`,
        );
      }
    }
  }
}
