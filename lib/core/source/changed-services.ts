// Which services a change of files rebuilds: a file under a service's folder, its template (which
// may live outside the folder), or sprout.yml itself. Pure.
import { isUnderRepoPath, normalizeRepoPath } from "./repo-path";
import { SPROUT_YML, type TSproutConfig } from "./sprout-yml";

export interface TChangedService {
  name: string;
  /** For the build log, e.g. "sprout.yml changed" or "services/a/handler.ts and 3 other files changed". */
  reason: string;
}

/**
 * The services of `config` that `changedPaths` (repository-relative, as git lists them) rebuild, in
 * the order of the file. A path that git cannot have produced (absolute, "..") is ignored.
 */
export function changedServices(config: TSproutConfig, changedPaths: readonly string[]): TChangedService[] {
  const paths = changedPaths.flatMap((p) => {
    const n = normalizeRepoPath(p);
    return n.ok && n.path !== "." ? [n.path] : [];
  });
  if (paths.includes(SPROUT_YML)) return config.services.map((s) => ({ name: s.name, reason: `${SPROUT_YML} changed` }));
  const out: TChangedService[] = [];
  for (const s of config.services) {
    const hits = paths.filter((p) => isUnderRepoPath(p, s.path) || p === s.templatePath);
    if (hits.length === 0) continue;
    const more = hits.length - 1;
    out.push({
      name: s.name,
      reason: more === 0 ? `${hits[0]} changed` : `${hits[0]} and ${more} other file${more === 1 ? "" : "s"} changed`,
    });
  }
  return out;
}
