import { handle } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { refreshStage } from "@/lib/server/operations/refresh-stage";

type TContext = { params: Promise<{ app: string; stage: string }> };

// Reads the stage's stacks from its account and records what is really deployed: `{ drift, refreshedAt }`.
export const POST = async (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, stage } = await params;
    const actor = await authorize(req, app, "refresh");
    return refreshStage(app, stage, actor.label);
  });
