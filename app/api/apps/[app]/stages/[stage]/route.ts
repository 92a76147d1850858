import { handle, readJson } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { updateStage } from "@/lib/server/operations/stages";

type TContext = { params: Promise<{ app: string; stage: string }> };

// Stage settings (driver, region, endpoint). Credentials are never part of them: see docs/cloudformation.md.
export const PATCH = async (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, stage } = await params;
    const actor = await authorize(req, app, "settings");
    return updateStage(app, stage, await readJson(req), actor.label);
  });
