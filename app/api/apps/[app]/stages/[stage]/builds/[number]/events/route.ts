import { errorResponse } from "@/lib/server/http";
import { authorize } from "@/lib/server/auth/authz";
import { getBuildRow } from "@/lib/server/data/lookup";
import { followBuild } from "@/lib/server/live/build-feed";
import { sseResponse } from "@/lib/server/live/sse";

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
