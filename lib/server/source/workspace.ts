import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { normalizeRepoPath } from "@/lib/core/source/repo-path";
import { workspacesDir } from "./data-dir";
import { forceRemove } from "./fs-utils";
import { SourceError, git } from "./git";
import { FULL_SHA, type Mirror } from "./mirror";

// A workspace is one commit's files in ${dataDir}/workspaces/<id>, made from the app's mirror with
// a throwaway index (read-tree + checkout-index): the mirror's HEAD, index and refs stay as they
// are, so any number of checkouts and fetches can run at once.

export const CHECKOUT_TIMEOUT_MS = 5 * 60_000;
const WORKSPACE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const INDEX_FILE = /^\.(.+)\.index$/;

export interface TWorkspace {
  id: string;
  dir: string;
  commit: string;
  durationMs: number;
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
  await fs.mkdir(dir);
  const run = {
    gitDir: options.mirror.dir,
    workTree: dir,
    env: { GIT_INDEX_FILE: index },
    timeoutMs: options.timeoutMs ?? CHECKOUT_TIMEOUT_MS,
  };
  try {
    await git(["read-tree", `${options.commit}^{tree}`], run);
    await git(["checkout-index", "--all", "--force"], run);
  } catch (e) {
    await forceRemove(dir);
    throw e;
  } finally {
    await fs.rm(index, { force: true });
  }
  return { id: options.id, dir, commit: options.commit, durationMs: Date.now() - started };
}

/** Deletes a workspace (nothing happens if it is already gone). */
export async function removeWorkspace(options: { id: string; dataDir?: string }): Promise<void> {
  const { dir, index } = workspacePaths(options.id, options.dataDir);
  await forceRemove(dir);
  await fs.rm(index, { force: true });
}

/**
 * Deletes the workspaces (and temporary index files) a crash left behind: every one whose id is
 * not in `activeIds`. Gives the ids removed. Run it when a worker starts, with the ids of the
 * package steps still running on other workers.
 */
export async function removeStaleWorkspaces(options: { activeIds: Iterable<string>; dataDir?: string }): Promise<string[]> {
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
  return [...removed].sort();
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
