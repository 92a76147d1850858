import "server-only";
import { db } from "@/lib/server/db";
import { getStageOf } from "@/lib/server/data/lookup";
import { latestBuilds } from "@/lib/server/data/list-apps";
import { liveBuild } from "@/lib/server/data/live-build";
import { pinJson } from "@/lib/server/data/stage-pin";
import type { TStageInfo } from "@/lib/core/contracts";
import type { TAppRef } from "@/lib/server/context";

/** GET /api/apps/{app}/stages/{stage}: its settings, what is live, its newest build, its pin and the next stage. */
export async function getStage({ app, stage }: { app: TAppRef; stage: string }): Promise<{ stage: TStageInfo }> {
  const st = await getStageOf(app, stage);
  const [live, latest, next] = await Promise.all([
    liveBuild(st.id),
    latestBuilds([st.id]),
    nextStageOf({ appId: st.appId, id: st.id, position: st.position }),
  ]);
  return {
    stage: {
      app: app.name,
      name: st.name,
      driver: st.driver,
      region: st.region,
      protected: st.protected,
      branch: st.branch,
      autoDeploy: st.autoDeploy,
      archived: st.archived,
      pullRequest: st.prNumber === null ? null : { number: st.prNumber, title: st.prTitle },
      live,
      latestBuild: latest.get(st.id) ?? null,
      pinned: pinJson(st),
      requireApproval: st.requireApproval,
      nextStage: next?.name ?? null,
    },
  };
}

/** The stage after this one in the app's pipeline (position, then creation order), if any. */
export async function nextStageOf(st: { appId: number; id: number; position: number }) {
  return db.stage.findFirst({
    where: { appId: st.appId, OR: [{ position: { gt: st.position } }, { position: st.position, id: { gt: st.id } }] },
    orderBy: [{ position: "asc" }, { id: "asc" }],
  });
}
