import { handle } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { listAudit } from "@/lib/server/data/audit";
import { queryOf } from "@/lib/core/query-params";

type TContext = { params: Promise<{ app: string }> };

/** `?limit=&before=`: `{ events, nextBefore }`, newest first. */
export const GET = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app } = await params;
    await authorize(req, app, "view");
    return listAudit(app, queryOf(req.url));
  });
