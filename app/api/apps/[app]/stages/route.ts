import { handle, readJson } from "@/lib/http";
import { authorize } from "@/lib/authz";
import { createStage } from "@/lib/operations/stages";

type TContext = { params: Promise<{ app: string }> };

export const POST = async (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app } = await params;
    const actor = await authorize(req, app, "addStage");
    return createStage(app, await readJson(req), actor.label);
  }, 201);
