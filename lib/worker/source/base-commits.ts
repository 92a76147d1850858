import "server-only";
import { db } from "@/lib/server/db";

// What a service's files are compared with: the newest commit known to give its live artifact. That
// is the commit of the newest build of the stage whose step for the service deployed the live
// artifact or found it unchanged; at the latest, the build that wrote the live row. A build that
// rebuilt every service after a change of sprout.yml, and found most of them unchanged, thus moves
// their base to its commit: the next push rebuilds only what changes after it.

/** How many of the stage's newest builds are read; past them, the build that wrote the live row is the base. */
const SCAN = 100;

type TLiveRow = { service: string; artifactDigest: string; buildNumber: number };

/** Per service with a live row: the sha to diff from (absent when no build of the stage names one). */
export async function baseCommits(stageId: number, live: TLiveRow[]): Promise<Map<string, string>> {
  const bases = new Map<string, string>();
  if (live.length === 0) return bases;
  const digest = new Map(live.map((l) => [l.service, l.artifactDigest]));
  const recent = await db.build.findMany({
    where: { stageId, number: { gte: Math.min(...live.map((l) => l.buildNumber)) }, commitSha: { not: "" } },
    orderBy: { number: "desc" },
    take: SCAN,
    select: {
      commitSha: true,
      steps: {
        where: { key: { in: [...digest.keys()] }, status: { in: ["success", "unchanged"] } },
        select: { key: true, artifactDigest: true },
      },
    },
  });
  for (const b of recent) {
    for (const s of b.steps) if (!bases.has(s.key) && s.artifactDigest === digest.get(s.key)) bases.set(s.key, b.commitSha);
  }
  const rest = live.filter((l) => !bases.has(l.service));
  if (rest.length) {
    const writers = await db.build.findMany({
      where: { stageId, number: { in: [...new Set(rest.map((l) => l.buildNumber))] }, commitSha: { not: "" } },
      select: { number: true, commitSha: true },
    });
    const at = new Map(writers.map((w) => [w.number, w.commitSha]));
    for (const l of rest) if (at.has(l.buildNumber)) bases.set(l.service, at.get(l.buildNumber)!);
  }
  return bases;
}
