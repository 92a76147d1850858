import "server-only";
import { getStageByName } from "@/lib/server/data/lookup";
import type { TDriverName } from "@/lib/core/domain";
import type { TStageInfo } from "@/lib/core/contracts";

export async function getStage(app: string, stage: string): Promise<{ stage: TStageInfo }> {
  const st = await getStageByName(app, stage);
  return { stage: { app: st.app.name, name: st.name, driver: st.driver, region: st.region } };
}
