import { handle } from "@/lib/http";
import { authorize } from "@/lib/authz";
import { getApp } from "@/lib/data/get-app";

type TContext = { params: Promise<{ app: string }> };

export const GET = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app } = await params;
    await authorize(req, app, "view");
    return getApp(app);
  });
