import { withApp } from "@/lib/server/http";
import { ZStageBody } from "@/lib/core/validation";
import { createStage } from "@/lib/server/operations/stages";

export const POST = withApp("/api/apps/[app]/stages", "addStage", ({ app, actor, body }) => createStage({ app, input: body, actor }), {
  body: ZStageBody,
  status: 201,
});
