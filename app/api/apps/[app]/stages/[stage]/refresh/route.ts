import { handle } from "@/lib/http";
import { refreshStage } from "@/lib/operations/refresh-stage";

type TContext = { params: Promise<{ app: string; stage: string }> };

// Reads the stage's stacks from its account and records what is really deployed: `{ drift, refreshedAt }`.
export const POST = async (_req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, stage } = await params;
    return refreshStage(app, stage);
  });
