import { handle, readJson } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { removeMember, updateMember } from "@/lib/server/operations/members";

type TContext = { params: Promise<{ app: string; user: string }> };

/** body `{ role }` */
export const PATCH = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, user } = await params;
    const actor = await authorize(req, app, "members");
    return updateMember(app, user, await readJson(req), actor.label);
  });

export const DELETE = (req: Request, { params }: TContext) =>
  handle(async () => {
    const { app, user } = await params;
    const actor = await authorize(req, app, "members");
    return removeMember(app, user, actor.label);
  });
