import { handle } from "@/lib/http";
import { authorize } from "@/lib/authz";
import { listLogLines } from "@/lib/data/list-log-lines";
import { queryOf } from "@/lib/query-params";

type TContext = { params: Promise<{ app: string; stage: string; number: string }> };

export const GET = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, stage, number } = await params;
    await authorize(req, app, "view");
    return listLogLines(app, stage, number, queryOf(req.url));
  });
