import { errorResponse } from "@/lib/http";
import { authorize } from "@/lib/authz";
import { getStageByName } from "@/lib/data/lookup";
import { followStage } from "@/lib/live/stage-feed";
import { sseResponse } from "@/lib/live/sse";

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
