import { handle } from "@/lib/http";
import { authorize } from "@/lib/authz";
import { revokeToken } from "@/lib/operations/tokens";

type TContext = { params: Promise<{ app: string; id: string }> };

/** Revokes the token: its next request is refused. */
export const DELETE = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, id } = await params;
    const actor = await authorize(req, app, "tokens");
    return revokeToken(app, id, actor.label);
  });
