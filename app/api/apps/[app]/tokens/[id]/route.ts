import { handle } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { revokeToken } from "@/lib/server/operations/tokens";

type TContext = { params: Promise<{ app: string; id: string }> };

/** Revokes the token: its next request is refused. */
export const DELETE = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, id } = await params;
    const actor = await authorize(req, app, "tokens");
    return revokeToken(app, id, actor.label);
  });
