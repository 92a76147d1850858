import { handle, readJson } from "@/lib/http";
import { updateStage } from "@/lib/operations/stages";

type TContext = { params: Promise<{ app: string; stage: string }> };

// Stage settings (driver, region, endpoint). Credentials are never part of them: see docs/cloudformation.md.
export const PATCH = async (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, stage } = await params;
    return updateStage(app, stage, await readJson(req));
  });
