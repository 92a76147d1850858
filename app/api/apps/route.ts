import { handle, readJson } from "@/lib/server/http";
import { requireInstanceAdmin, routeActor, visibleAppIds } from "@/lib/server/auth/authz";
import { createApp } from "@/lib/server/operations/create-app";
import { listApps } from "@/lib/server/data/list-apps";

export const dynamic = "force-dynamic"; // reads the database on every request, never at build time

/** The apps the caller has a role on (an instance admin: all of them). */
export const GET = (req: Request) => handle(async () => listApps(await visibleAppIds(await routeActor(req))));

export const POST = async (req: Request) =>
  handle(async () => {
    const actor = await routeActor(req);
    requireInstanceAdmin(actor, "Creating an app");
    return createApp(await readJson(req), actor.label);
  }, 201);
