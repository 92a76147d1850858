import { withApp } from "@/lib/server/http";
import { ZPromoteBody } from "@/lib/core/validation";
import { promote } from "@/lib/server/operations/promote";

/** body `{ to?, force? }` (optional): 201 `{ build }`, the promote build queued on stage `to` (the next stage by default). */
export const POST = withApp(
  "/api/apps/[app]/stages/[stage]/builds/[number]/promote",
  "promote",
  async ({ app, actor, params, body }) => ({ build: await promote({ app, ...params, input: body, actor }) }),
  { body: ZPromoteBody, optionalBody: true, status: 201 },
);
