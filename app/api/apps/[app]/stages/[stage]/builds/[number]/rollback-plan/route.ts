import { handle } from "@/lib/http";
import { rollbackPlan } from "@/lib/operations/rollback";

type TContext = { params: Promise<{ app: string; stage: string; number: string }> };

export const GET = (_req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, stage, number } = await params;
    return { plan: await rollbackPlan(app, stage, number) };
  });
