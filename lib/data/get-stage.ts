import "server-only";
import { getStageByName } from "@/lib/data/lookup";
import type { TDriverName } from "@/lib/domain";

export interface TStageInfo {
  app: string;
  name: string;
  driver: TDriverName;
  region: string | null;
}

export async function getStage(app: string, stage: string): Promise<{ stage: TStageInfo }> {
  const st = await getStageByName(app, stage);
  return { stage: { app: st.app.name, name: st.name, driver: st.driver, region: st.region } };
}
