import "server-only";
import path from "node:path";

// Where the source feature keeps its files: ${SPROUT_DATA_DIR ?? ".data"}/mirrors (one bare mirror
// per app) and .../workspaces (one checkout per running package step).

export function sproutDataDir(): string {
  return path.resolve(process.env.SPROUT_DATA_DIR || ".data");
}

export function mirrorsDir(dataDir: string = sproutDataDir()): string {
  return path.join(path.resolve(dataDir), "mirrors");
}

export function workspacesDir(dataDir: string = sproutDataDir()): string {
  return path.join(path.resolve(dataDir), "workspaces");
}
