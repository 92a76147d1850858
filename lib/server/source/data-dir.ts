import "server-only";
import fs from "node:fs/promises";
import path from "node:path";

// Where the source feature keeps its files under ${SPROUT_DATA_DIR ?? ".data"}: mirrors/ (one bare
// mirror per app), workspaces/ (one checkout per running source build, and a few kept for the next
// build of the same app), homes/ (one HOME per app for its build commands, so that the worker's own
// ~/.aws or ~/.npmrc are not theirs) and repos/ (the demo's own repository, which the demo app
// `notes` builds from). Chosen at run time: the build must not trace (and bundle) the folder.

export function sproutDataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.SPROUT_DATA_DIR || ".data");
}

export function mirrorsDir(dataDir: string = sproutDataDir()): string {
  return path.join(path.resolve(/*turbopackIgnore: true*/ dataDir), "mirrors");
}

export function reposDir(dataDir: string = sproutDataDir()): string {
  return path.join(path.resolve(/*turbopackIgnore: true*/ dataDir), "repos");
}

export function workspacesDir(dataDir: string = sproutDataDir()): string {
  return path.join(path.resolve(/*turbopackIgnore: true*/ dataDir), "workspaces");
}

/** Creates (if needed) and gives the HOME of `app`'s build commands: ${dataDir}/homes/app-<app>, private to the worker's user. */
export async function ensureAppHome(app: string | number, dataDir: string = sproutDataDir()): Promise<string> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(String(app)))
    throw new Error(`the app key "${String(app).slice(0, 40)}" must be letters, digits, - and _ (an app id)`);
  const home = path.join(path.resolve(/*turbopackIgnore: true*/ dataDir), "homes", `app-${app}`);
  await fs.mkdir(home, { recursive: true, mode: 0o700 });
  return home;
}
