import { withApp } from "@/lib/server/http";
import { ZMemberAdd } from "@/lib/core/validation";
import { addMember, listMembers } from "@/lib/server/operations/members";

export const GET = withApp("/api/apps/[app]/members", "view", ({ app }) => listMembers({ app }));

/** body `{ email, role, name? }`: 201 `{ member, password }`; password is set (once) when the account was created. */
export const POST = withApp("/api/apps/[app]/members", "members", ({ app, actor, body }) => addMember({ app, input: body, actor }), {
  body: ZMemberAdd,
  status: 201,
});
