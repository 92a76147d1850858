import { withApp } from "@/lib/server/http";
import { ZMemberPatch } from "@/lib/core/validation";
import { removeMember, updateMember } from "@/lib/server/operations/members";

/** body `{ role }` */
export const PATCH = withApp(
  "/api/apps/[app]/members/[user]",
  "members",
  ({ app, actor, params, body }) => updateMember({ app, userId: params.user, input: body, actor }),
  { body: ZMemberPatch },
);

export const DELETE = withApp("/api/apps/[app]/members/[user]", "members", ({ app, actor, params }) =>
  removeMember({ app, userId: params.user, actor }),
);
