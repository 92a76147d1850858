import { withApp } from "@/lib/server/http";
import { revokeToken } from "@/lib/server/operations/tokens";

/** Revokes the token: its next request is refused. */
export const DELETE = withApp("/api/apps/[app]/tokens/[id]", "tokens", ({ app, actor, params }) =>
  revokeToken({ app, id: params.id, actor }),
);
