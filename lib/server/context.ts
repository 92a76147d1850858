import "server-only";
import type { TRole } from "@/lib/core/roles";

// Who acts and on what: the context every route and server action builds once, at the boundary
// (lib/server/http.ts, lib/server/actions/app-action.ts), and hands to the operation it calls.

/** A signed-in user (session cookie) or an API token. `label` is how the audit names them. */
export type TActor =
  | { kind: "user"; id: string; email: string; name: string; isAdmin: boolean; label: string }
  | { kind: "token"; id: number; name: string; appId: number | null; role: TRole; label: string };

/** An app as operations take it: looked up once, at the boundary. */
export interface TAppRef {
  id: number;
  name: string;
}

/** Who acts, on which app, with which role. */
export interface TAppContext {
  actor: TActor;
  app: TAppRef;
  role: TRole;
}
