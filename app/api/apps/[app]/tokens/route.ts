import { handle, readJson } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { createToken, listTokens } from "@/lib/server/operations/tokens";

type TContext = { params: Promise<{ app: string }> };

export const GET = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app } = await params;
    await authorize(req, app, "tokens");
    return listTokens(app);
  });

/** body `{ name, role }`: 201 `{ token, value }`; `value` is the token, answered this once only. */
export const POST = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app } = await params;
    const actor = await authorize(req, app, "tokens");
    return createToken(app, await readJson(req), actor.label);
  }, 201);
