import "server-only";
import { getStageOf } from "@/lib/server/data/lookup";
import type { TStageInfo } from "@/lib/core/contracts";
import type { TAppRef } from "@/lib/server/context";

export async function getStage({ app, stage }: { app: TAppRef; stage: string }): Promise<{ stage: TStageInfo }> {
  const st = await getStageOf(app, stage);
  return { stage: { app: app.name, name: st.name, driver: st.driver, region: st.region } };
}
