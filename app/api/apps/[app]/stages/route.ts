import { handle, readJson } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { createStage } from "@/lib/server/operations/stages";

type TContext = { params: Promise<{ app: string }> };

export const POST = async (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app } = await params;
    const actor = await authorize(req, app, "addStage");
    return createStage(app, await readJson(req), actor.label);
  }, 201);
