import { errorResponse } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { getStageByName } from "@/lib/server/data/lookup";
import { followStage } from "@/lib/server/live/stage-feed";
import { sseResponse } from "@/lib/server/live/sse";

type TContext = { params: Promise<{ app: string; stage: string }> };

export const dynamic = "force-dynamic";

// SSE: `changed` { number } whenever a build of the stage is queued or changes state.
export async function GET(req: Request, { params }: TContext) {
  const { app, stage } = await params;
  let st;
  try {
    await authorize(req, app, "view");
    st = await getStageByName(app, stage);
  } catch (e) {
    return errorResponse(e);
  }
  return sseResponse(req.signal, (channel) => followStage(st.id, channel));
}
