import { withApp } from "@/lib/server/http";
import { getStageOf } from "@/lib/server/data/lookup";
import { followStage } from "@/lib/server/live/stage-feed";
import { sseResponse } from "@/lib/server/live/sse";
import { streamAccess } from "@/lib/server/live/access";

export const dynamic = "force-dynamic";

// SSE: `changed` whenever a build of the stage is queued or changes state.
export const GET = withApp("/api/apps/[app]/stages/[stage]/events", "view", async ({ app, params, req }) => {
  const st = await getStageOf(app, params.stage);
  return sseResponse(req.signal, (channel) => followStage(st.id, channel), { stillAllowed: streamAccess(req, app.name, "view") });
});
