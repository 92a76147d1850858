import { handle } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { redeploy } from "@/lib/server/operations/redeploy";

type TContext = { params: Promise<{ app: string; stage: string; number: string }> };

export const POST = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, stage, number } = await params;
    const actor = await authorize(req, app, "redeploy");
    return { build: await redeploy(app, stage, number, actor.label) };
  }, 201);
