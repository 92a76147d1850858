import "server-only";
import fs from "node:fs/promises";
import path from "node:path";

/**
 * Removes a file or folder tree, even one a build left read-only (Go's module cache, some npm
 * packages): on EACCES/EPERM it makes the folders writable and tries again.
 */
export async function forceRemove(target: string): Promise<void> {
  try {
    await fs.rm(target, { recursive: true, force: true, maxRetries: 3 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EACCES" && code !== "EPERM") throw e;
    await makeWritable(target);
    await fs.rm(target, { recursive: true, force: true, maxRetries: 3 });
  }
}

async function makeWritable(target: string): Promise<void> {
  let stat;
  try {
    stat = await fs.lstat(target);
  } catch {
    return;
  }
  if (!stat.isDirectory()) return;
  await fs.chmod(target, 0o700).catch(() => {});
  const entries = await fs.readdir(target, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isDirectory()) await makeWritable(path.join(target, entry.name));
}

/**
 * Lock files git left in a repository (refs/**, packed-refs.lock, config.lock, shallow.lock...)
 * that are older than `olderThanMs`: a git process that held them that long has died with them.
 * Removes them and gives their paths relative to `repoDir`.
 */
export async function clearStaleLocks(repoDir: string, olderThanMs: number, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth === 0 && entry.name !== "refs") continue; // objects/ and hooks/ hold no lock files
        await visit(full, depth + 1);
      } else if (entry.name.endsWith(".lock")) {
        const stat = await fs.stat(full).catch(() => null);
        if (stat && now - stat.mtimeMs > olderThanMs) {
          await fs.rm(full, { force: true });
          removed.push(path.relative(repoDir, full));
        }
      }
    }
  };
  await visit(repoDir, 0);
  return removed.sort();
}
