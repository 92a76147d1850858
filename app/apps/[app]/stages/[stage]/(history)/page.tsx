import type { Metadata } from "next";
import { getStage } from "@/lib/server/data/get-stage";
import { listBuilds } from "@/lib/server/data/list-builds";
import { getDeployOptions } from "@/lib/server/data/deploy-options";
import { loadOr404 } from "@/lib/server/page-data";
import { pageAccess } from "@/lib/server/page-access";
import { queryKeys } from "@/lib/client/query-keys";
import { filterParams, filtersFromParams } from "@/lib/core/history-filters";
import { ZListBuildsQuery } from "@/lib/server/data/list-builds";
import { Hydrate } from "@/components/hydrate";
import { StagePageClient } from "./page-client";

export const dynamic = "force-dynamic";

type TProps = PageProps<"/apps/[app]/stages/[stage]">;

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  const { app, stage } = await params;
  return { title: `${stage} · ${app}` };
}

export default async function StagePage({ params, searchParams }: TProps) {
  const { app, stage } = await params;
  const filters = filterParams(filtersFromParams(await searchParams));
  const { app: appRef, access } = await pageAccess(app);
  const [info, firstPage, deploy] = await loadOr404(
    Promise.all([
      getStage({ app: appRef, stage }),
      listBuilds({ app: appRef, stage, query: ZListBuildsQuery.parse(filters) }),
      getDeployOptions({ app: appRef }),
    ]),
  );
  return (
    <Hydrate
      queries={[
        [queryKeys.stageInfo(app, stage), info],
        [queryKeys.buildsFiltered(app, stage, filters), { pages: [firstPage], pageParams: [null] }],
      ]}
    >
      <StagePageClient app={app} name={stage} access={access} deploy={deploy} />
    </Hydrate>
  );
}
