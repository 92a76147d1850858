import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { normalizeRepoPath } from "@/lib/core/source/repo-path";
import { workspacesDir } from "./data-dir";
import { forceRemove } from "./fs-utils";
import { SourceError, git } from "./git";
import { FULL_SHA, type Mirror } from "./mirror";

// A workspace is one commit's files in ${dataDir}/workspaces/<id>, made from the app's mirror with
// an index of its own (read-tree + checkout-index): the mirror's HEAD, index and refs stay as they
// are, so any number of checkouts and fetches can run at once.
//
// A finished build's workspace is kept for the next build of the same app (at most POOL_PER_KEY
// of them, under workspaces/.reuse/), as CI runners' "fetch" strategy does: the next checkout
// claims one with an atomic rename, moves it to its commit (read-tree --reset -u rewrites only what
// differs, and what a build changed) and removes every untracked and ignored file (git clean -ffdx),
// so the build sees exactly the commit's files. Writing 5,000 files right after deleting 5,000
// costs a second on file systems that free blocks lazily; updating the few that changed does not.

export const CHECKOUT_TIMEOUT_MS = 5 * 60_000;
const WORKSPACE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const INDEX_FILE = /^\.(.+)\.index$/;
const POOL = ".reuse";
const POOL_PER_KEY = 2;
const REUSE_KEY = /^[A-Za-z0-9]{1,40}$/;
/** Kept workspaces unused this long are removed when a worker starts. */
export const POOL_MAX_AGE_MS = 7 * 24 * 3600_000;

export interface TWorkspace {
  id: string;
  dir: string;
  commit: string;
  durationMs: number;
  /** a kept workspace was brought to the commit, rather than every file written */
  reused: boolean;
}

function workspacePaths(id: string, dataDir?: string) {
  if (!WORKSPACE_ID.test(id) || id.endsWith(".index"))
    throw new SourceError(
      "invalid_argument",
      `the workspace id "${id.slice(0, 60)}" must be letters, digits, ".", "-" and "_" (e.g. build-42-billing-api)`,
    );
  const root = workspacesDir(dataDir);
  return { root, dir: path.join(root, id), index: path.join(root, `.${id}.index`) };
}

/**
 * Checks `commit` (a full sha in the mirror) out into a fresh folder ${dataDir}/workspaces/<id>
 * (dataDir: the mirror's unless given), replacing whatever a crashed run left there. The folder
 * holds the commit's files, no .git.
 */
export async function checkoutWorkspace(options: {
  mirror: Mirror;
  commit: string;
  id: string;
  dataDir?: string;
  timeoutMs?: number;
  /** reuse a workspace kept under this key (the app's), when there is one */
  reuseKey?: string;
}): Promise<TWorkspace> {
  const started = Date.now();
  const { root, dir, index } = workspacePaths(options.id, options.dataDir ?? options.mirror.dataDir);
  if (!FULL_SHA.test(options.commit))
    throw new SourceError("invalid_argument", `checkoutWorkspace takes a full commit sha, not "${options.commit.slice(0, 80)}"`);
  if (!(await options.mirror.exists()))
    throw new SourceError("not_synced", "the repository has not been fetched yet: sync the mirror first");
  await fs.mkdir(root, { recursive: true });
  await forceRemove(dir);
  await fs.rm(index, { force: true });
  const run = {
    gitDir: options.mirror.dir,
    workTree: dir,
    env: { GIT_INDEX_FILE: index },
    timeoutMs: options.timeoutMs ?? CHECKOUT_TIMEOUT_MS,
  };
  const done = (reused: boolean): TWorkspace => ({ id: options.id, dir, commit: options.commit, durationMs: Date.now() - started, reused });
  if (options.reuseKey && (await claimKept(root, checkKey(options.reuseKey), dir, index))) {
    try {
      await git(["read-tree", "--reset", "-u", `${options.commit}^{tree}`], run);
      await git(["clean", "-ffdxq"], run);
      return done(true);
    } catch {
      // whatever went wrong with the kept one (a build made it unremovable, a damaged index): start afresh
      await forceRemove(dir);
      await fs.rm(index, { force: true });
    }
  }
  await fs.mkdir(dir);
  try {
    await git(["read-tree", `${options.commit}^{tree}`], run);
    await git(["checkout-index", "--all", "--force"], run);
  } catch (e) {
    await forceRemove(dir);
    await fs.rm(index, { force: true });
    throw e;
  }
  return done(false);
}

function checkKey(key: string): string {
  if (!REUSE_KEY.test(key))
    throw new SourceError("invalid_argument", `the reuse key "${key.slice(0, 60)}" must be 1 to 40 letters or digits`);
  return key;
}

/** Moves a workspace kept under `key` to `dir` (and its index to `index`); false when there is none. */
async function claimKept(root: string, key: string, dir: string, index: string): Promise<boolean> {
  const pool = path.join(root, POOL);
  const kept = (await fs.readdir(pool).catch(() => [] as string[])).filter((n) => n.startsWith(`${key}--`) && !n.endsWith(".index"));
  for (const name of kept) {
    try {
      await fs.rename(path.join(pool, name), dir); // atomic: of two claims, one wins
    } catch {
      continue;
    }
    try {
      await fs.rename(path.join(pool, `${name}.index`), index);
      return true;
    } catch {
      await forceRemove(dir); // kept without its index (a crash between the two renames)
      return false;
    }
  }
  return false;
}

/**
 * Keeps a finished build's workspace for the next checkout under `key` (see above), or removes it
 * when POOL_PER_KEY are kept already or it has no index. Its files are left as the build left
 * them: the next checkout resets them.
 */
export async function keepWorkspace(options: { id: string; key: string; dataDir?: string }): Promise<void> {
  const { root, dir, index } = workspacePaths(options.id, options.dataDir);
  const key = checkKey(options.key);
  const pool = path.join(root, POOL);
  await fs.mkdir(pool, { recursive: true });
  const kept = (await fs.readdir(pool)).filter((n) => n.startsWith(`${key}--`) && !n.endsWith(".index"));
  const hasIndex = await fs.stat(index).then(
    () => true,
    () => false,
  );
  if (kept.length >= POOL_PER_KEY || !hasIndex) return removeWorkspace(options);
  const name = `${key}--${options.id}`;
  // the index first: a kept folder always has its index beside it (claimKept takes the folder first)
  await fs.rename(index, path.join(pool, `${name}.index`));
  await fs.rename(dir, path.join(pool, name)).catch(async (e: unknown) => {
    await fs.rm(path.join(pool, `${name}.index`), { force: true });
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  });
}

/** Deletes a workspace (nothing happens if it is already gone). */
export async function removeWorkspace(options: { id: string; dataDir?: string }): Promise<void> {
  const { dir, index } = workspacePaths(options.id, options.dataDir);
  await forceRemove(dir);
  await fs.rm(index, { force: true });
}

/**
 * Deletes the workspaces (and temporary index files) a crash left behind: every one whose id is
 * not in `activeIds`, and the kept ones unused for POOL_MAX_AGE_MS. Gives the ids removed. Run it
 * when a worker starts, with the ids of the package steps still running on other workers.
 */
export async function removeStaleWorkspaces(options: { activeIds: Iterable<string>; dataDir?: string; now?: number }): Promise<string[]> {
  const root = workspacesDir(options.dataDir);
  const active = new Set(options.activeIds);
  const entries = await fs.readdir(root, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return [];
    throw e;
  });
  const removed = new Set<string>();
  for (const entry of entries) {
    const id = entry.isDirectory() ? entry.name : INDEX_FILE.exec(entry.name)?.[1];
    if (!id || !WORKSPACE_ID.test(id) || active.has(id)) continue;
    await forceRemove(path.join(root, entry.name));
    removed.add(id);
  }
  await pruneKept(path.join(root, POOL), options.now ?? Date.now());
  return [...removed].sort();
}

/** Removes kept workspaces unused for POOL_MAX_AGE_MS (their index is written by each checkout), and halves of pairs. */
async function pruneKept(pool: string, now: number): Promise<void> {
  const names = await fs.readdir(pool).catch(() => [] as string[]);
  for (const name of names) {
    const folder = name.endsWith(".index") ? name.slice(0, -".index".length) : name;
    const usedAt = await fs.stat(path.join(pool, `${folder}.index`)).then(
      (st) => st.mtimeMs,
      () => 0,
    );
    const paired = names.includes(folder) && names.includes(`${folder}.index`);
    if (!paired || now - usedAt > POOL_MAX_AGE_MS) await forceRemove(path.join(pool, name));
  }
}

/**
 * Reads a file a build made or checked out, by its path relative to the workspace. Refuses a path
 * (or a symbolic link) that leads outside the workspace: a repository must not make the worker
 * read its own files (e.g. a template linked to /proc/self/environ). Null when absent.
 */
export async function readWorkspaceFile(options: { dir: string; path: string; maxBytes: number }): Promise<string | null> {
  const p = normalizeRepoPath(options.path);
  if (!p.ok || p.path === ".")
    throw new SourceError(
      "invalid_argument",
      `"${options.path.slice(0, 120)}" ${p.ok ? "names the workspace itself, not a file" : p.reason}`,
    );
  const root = await fs.realpath(options.dir);
  let real: string;
  try {
    real = await fs.realpath(path.join(root, p.path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return null;
    throw e;
  }
  if (!real.startsWith(`${root}${path.sep}`))
    throw new SourceError(
      "not_a_file",
      `${p.path} leads outside the workspace through a symbolic link: Sprout reads only files inside the build's folder`,
    );
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw new SourceError("not_a_file", `${p.path} is not a regular file`);
  if (stat.size > options.maxBytes)
    throw new SourceError("file_too_large", `${p.path} is ${stat.size} bytes, over the limit of ${options.maxBytes}`);
  return fs.readFile(real, "utf8");
}
