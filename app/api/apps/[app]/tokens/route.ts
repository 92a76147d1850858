import { withApp } from "@/lib/server/http";
import { ZTokenCreate } from "@/lib/core/validation";
import { createToken, listTokens } from "@/lib/server/operations/tokens";

export const GET = withApp("/api/apps/[app]/tokens", "tokens", ({ app }) => listTokens({ app }));

/** body `{ name, role }`: 201 `{ token, value }`; `value` is the token, answered this once only. */
export const POST = withApp("/api/apps/[app]/tokens", "tokens", ({ app, actor, body }) => createToken({ app, input: body, actor }), {
  body: ZTokenCreate,
  status: 201,
});
