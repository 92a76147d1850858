import { handle } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { cancelBuild } from "@/lib/server/operations/cancel-build";

type TContext = { params: Promise<{ app: string; stage: string; number: string }> };

export const POST = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, stage, number } = await params;
    const actor = await authorize(req, app, "cancel");
    return { build: await cancelBuild(app, stage, number, actor.label) };
  });
