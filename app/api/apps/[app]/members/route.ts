import { handle, readJson } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { addMember, listMembers } from "@/lib/server/operations/members";

type TContext = { params: Promise<{ app: string }> };

export const GET = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app } = await params;
    await authorize(req, app, "view");
    return listMembers(app);
  });

/** body `{ email, role, name? }`: 201 `{ member, password }`; password is set (once) when the account was created. */
export const POST = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app } = await params;
    const actor = await authorize(req, app, "members");
    return addMember(app, await readJson(req), actor.label);
  }, 201);
