import { handle } from "@/lib/http";
import { authorize } from "@/lib/authz";
import { getBuild } from "@/lib/data/get-build";

type TContext = { params: Promise<{ app: string; stage: string; number: string }> };

export const GET = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, stage, number } = await params;
    await authorize(req, app, "view");
    return getBuild(app, stage, number);
  });
