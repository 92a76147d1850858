import { handle } from "@/lib/http";
import { authorize } from "@/lib/authz";
import { listAudit } from "@/lib/data/audit";
import { queryOf } from "@/lib/query-params";

type TContext = { params: Promise<{ app: string }> };

/** `?limit=&before=`: `{ events, nextBefore }`, newest first. */
export const GET = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app } = await params;
    await authorize(req, app, "view");
    return listAudit(app, queryOf(req.url));
  });
