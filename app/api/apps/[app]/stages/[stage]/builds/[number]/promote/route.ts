import { readOptionalJson, withApp } from "@/lib/server/http";
import { ZPromoteBody } from "@/lib/core/validation";
import { promote } from "@/lib/server/operations/promote";

/** body `{ to?, force? }` (optional): 201 `{ build }`, the promote build queued on stage `to` (the next stage by default). */
export const POST = withApp(
  "/api/apps/[app]/stages/[stage]/builds/[number]/promote",
  "promote",
  async ({ app, actor, params, req }) => {
    const input = ZPromoteBody.parse(await readOptionalJson(req));
    return { build: await promote({ app, ...params, input, actor }) };
  },
  { status: 201 },
);
