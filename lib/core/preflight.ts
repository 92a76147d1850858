// What a build takes away from the account: exports a service's stack has now and will not have
// after the build. A stack outside the app importing one of them makes AWS refuse the build half-way,
// so the driver's preflight checks these before anything is queued. Pure: plain data in and out.
import type { TBuildKind, TServiceMap } from "./domain";

export interface TDroppedExport {
  exportName: string;
  /** the service whose stack exports it now */
  service: string;
}

/**
 * Per service, the exports in `live` missing from its state after the build: a removed service drops
 * all of them. A deploy leaves services outside its manifest as they are; a rollback restores a whole
 * release. An export moving to another service is dropped too: AWS checks per stack.
 */
export function droppedExports(kind: TBuildKind, live: TServiceMap, target: TServiceMap): TDroppedExport[] {
  const out: TDroppedExport[] = [];
  for (const service of Object.keys(live).sort()) {
    const after = Object.hasOwn(target, service) ? target[service] : kind === "rollback" || kind === "remove" ? undefined : live[service];
    for (const exportName of Object.keys(live[service]!.exports)) {
      if (!after || !Object.hasOwn(after.exports, exportName)) out.push({ exportName, service });
    }
  }
  return out.sort((a, b) => (a.exportName < b.exportName ? -1 : a.exportName > b.exportName ? 1 : 0));
}
