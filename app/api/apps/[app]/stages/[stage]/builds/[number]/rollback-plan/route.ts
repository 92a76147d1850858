import { handle } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { rollbackPlan } from "@/lib/server/operations/rollback";

type TContext = { params: Promise<{ app: string; stage: string; number: string }> };

export const GET = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, stage, number } = await params;
    await authorize(req, app, "view");
    return { plan: await rollbackPlan(app, stage, number) };
  });
