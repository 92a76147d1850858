import { withApp } from "@/lib/server/http";
import { getBuildRow } from "@/lib/server/data/lookup";
import { followBuild } from "@/lib/server/live/build-feed";
import { sseResponse } from "@/lib/server/live/sse";

export const dynamic = "force-dynamic";

// SSE: `build` (a full snapshot), `log` (new lines; id = last seq, so a reconnect resumes after it), `end`.
export const GET = withApp("/api/apps/[app]/stages/[stage]/builds/[number]/events", "view", async ({ app, params, req }) => {
  const { build } = await getBuildRow(app, params.stage, params.number);
  const url = new URL(req.url);
  const lastSeq = Number(req.headers.get("last-event-id") ?? url.searchParams.get("after") ?? 0) || 0;
  return sseResponse(req.signal, (channel) => followBuild(build.id, lastSeq, channel));
});
