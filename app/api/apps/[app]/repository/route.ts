import { z } from "zod";
import { withApp } from "@/lib/server/http";
import { connectRepository, disconnectRepository, getRepository } from "@/lib/server/operations/repository";

const ROUTE = "/api/apps/[app]/repository";

export const GET = withApp(ROUTE, "view", ({ app }) => getRepository({ app }));

/** body `{ url }`: `{ repository, webhookSecret }`; the secret is answered this once (and by a rotation). */
export const PUT = withApp(ROUTE, "repository", ({ app, actor, body }) => connectRepository({ app, url: body.url, actor }), {
  body: z.object({ url: z.string().max(2048) }).strict(),
});

export const DELETE = withApp(ROUTE, "repository", ({ app, actor }) => disconnectRepository({ app, actor }));
