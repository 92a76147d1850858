import { withActor } from "@/lib/server/http";
import { requireInstanceAdmin, visibleAppIds } from "@/lib/server/auth/authz";
import { ZCreateApp } from "@/lib/core/validation";
import { createApp } from "@/lib/server/operations/create-app";
import { createAppFromRepository } from "@/lib/server/operations/app-from-repository";
import { listApps } from "@/lib/server/data/list-apps";

export const dynamic = "force-dynamic"; // reads the database on every request, never at build time

/** The apps the caller has a role on (an instance admin: all of them). */
export const GET = withActor(async ({ actor }) => listApps(await visibleAppIds(actor)));

export const POST = withActor(
  async ({ actor, body }) => {
    requireInstanceAdmin(actor, "Creating an app");
    // with a repository: dev and prod on its default branch, the webhook secret answered once
    if (body.repository) return createAppFromRepository({ name: body.name, url: body.repository.url, actor });
    return createApp({ input: body, actor });
  },
  { body: ZCreateApp, status: 201 },
);
