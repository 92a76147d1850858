import { handle } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { getApp } from "@/lib/server/data/get-app";

type TContext = { params: Promise<{ app: string }> };

export const GET = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app } = await params;
    await authorize(req, app, "view");
    return getApp(app);
  });
