// Paths inside a repository, as sprout.yml names them and as git lists them: forward slashes,
// relative to the repository root, never above it. Shared by sprout.yml parsing and the mirror.

const CONTROL = /[\u0000-\u001f\u007f]/;

export type TRepoPathResult = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Normalizes a repository-relative path: drops "./" segments, doubled and trailing slashes, and
 * resolves ".." against earlier segments. "" and "." both mean the repository root and give ".".
 * Refuses absolute paths, backslashes, control characters and anything that leaves the repository.
 */
export function normalizeRepoPath(input: string): TRepoPathResult {
  if (CONTROL.test(input)) return { ok: false, reason: "must not contain control characters" };
  if (input.includes("\\")) return { ok: false, reason: "must use forward slashes (/), not backslashes" };
  if (input.startsWith("/") || /^[A-Za-z]:/.test(input) || input.startsWith("~"))
    return { ok: false, reason: "must be a relative path inside the repository, not an absolute one" };
  const out: string[] = [];
  for (const segment of input.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (out.length === 0) return { ok: false, reason: "must stay inside the repository (it goes above its root with ..)" };
      out.pop();
      continue;
    }
    out.push(segment);
  }
  return { ok: true, path: out.length ? out.join("/") : "." };
}

/** Joins a repository-relative directory and a path relative to it, then normalizes the result. */
export function joinRepoPath(dir: string, relative: string): TRepoPathResult {
  if (relative.startsWith("/")) return { ok: false, reason: "must be a relative path, not an absolute one" };
  return normalizeRepoPath(dir === "." ? relative : `${dir}/${relative}`);
}

/** True when `path` (a normalized repository path) is `dir` itself or lies under it. */
export function isUnderRepoPath(path: string, dir: string): boolean {
  return dir === "." || path === dir || path.startsWith(`${dir}/`);
}
