import { handle } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { listLogLines } from "@/lib/server/data/list-log-lines";
import { queryOf } from "@/lib/core/query-params";

type TContext = { params: Promise<{ app: string; stage: string; number: string }> };

export const GET = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, stage, number } = await params;
    await authorize(req, app, "view");
    return listLogLines(app, stage, number, queryOf(req.url));
  });
