import "server-only";
import { getStageOf } from "@/lib/server/data/lookup";
import { latestBuilds } from "@/lib/server/data/list-apps";
import { liveBuild } from "@/lib/server/data/live-build";
import type { TStageInfo } from "@/lib/core/contracts";
import type { TAppRef } from "@/lib/server/context";

/** GET /api/apps/{app}/stages/{stage}: its settings, what is live and its newest build. */
export async function getStage({ app, stage }: { app: TAppRef; stage: string }): Promise<{ stage: TStageInfo }> {
  const st = await getStageOf(app, stage);
  const [live, latest] = await Promise.all([liveBuild(st.id), latestBuilds([st.id])]);
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
    },
  };
}
