import type { Metadata } from "next";
import { cache } from "react";
import { getBuild } from "@/lib/server/data/get-build";
import { getStage } from "@/lib/server/data/get-stage";
import { loadOr404 } from "@/lib/server/page-data";
import { parseBuildNumber } from "@/lib/server/data/lookup";
import { pageAccess } from "@/lib/server/page-access";
import { statusLabel } from "@/components/status-badge";
import { queryKeys } from "@/lib/client/query-keys";
import { Hydrate } from "@/components/hydrate";
import { BuildPageClient } from "./page-client";

export const dynamic = "force-dynamic";

type TProps = PageProps<"/apps/[app]/stages/[stage]/builds/[number]">;

// once per request, for the title and the page
const load = cache(async (app: string, stage: string, number: string) => {
  const { actor, app: appRef, access } = await pageAccess(app);
  const [build, info] = await loadOr404(
    Promise.all([getBuild({ app: appRef, stage, number: parseBuildNumber(number) }), getStage({ app: appRef, stage })]),
  );
  return { access, build, info, me: actor.label };
});

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  const { app, stage, number } = await params;
  const { build } = await load(app, stage, number);
  return { title: `${statusLabel(build.build.status)} · #${number} · ${stage} · ${app}` };
}

export default async function BuildPage({ params }: TProps) {
  const { app, stage, number } = await params;
  const { access, build, info, me } = await load(app, stage, number);
  const n = build.build.number;
  return (
    <Hydrate
      queries={[
        [queryKeys.build(app, stage, n), build],
        [queryKeys.stageInfo(app, stage), info],
      ]}
    >
      <BuildPageClient app={app} stage={stage} number={n} access={access} me={me} />
    </Hydrate>
  );
}
