import { errorResponse } from "@/lib/http";
import { authorize } from "@/lib/authz";
import { getBuildRow } from "@/lib/data/lookup";
import { followBuild } from "@/lib/live/build-feed";
import { sseResponse } from "@/lib/live/sse";

type TContext = { params: Promise<{ app: string; stage: string; number: string }> };

export const dynamic = "force-dynamic";

// SSE: `build` (a full snapshot), `log` (new lines; id = last seq, so a reconnect resumes after it), `end`.
export async function GET(req: Request, { params }: TContext) {
  const { app, stage, number } = await params;
  let build;
  try {
    await authorize(req, app, "view");
    ({ build } = await getBuildRow(app, stage, number));
  } catch (e) {
    return errorResponse(e);
  }
  const url = new URL(req.url);
  const lastSeq = Number(req.headers.get("last-event-id") ?? url.searchParams.get("after") ?? 0) || 0;
  return sseResponse(req.signal, (channel) => followBuild(build.id, lastSeq, channel));
}
