import { handle } from "@/lib/http";
import { redeploy } from "@/lib/operations/redeploy";

type TContext = { params: Promise<{ app: string; stage: string; number: string }> };

export const POST = (_req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, stage, number } = await params;
    return { build: await redeploy(app, stage, number, "api") };
  }, 201);
