import { z } from "zod";
import { withApp } from "@/lib/server/http";
import { getBuildRow } from "@/lib/server/data/lookup";
import { followBuild } from "@/lib/server/live/build-feed";
import { sseResponse } from "@/lib/server/live/sse";
import { streamAccess } from "@/lib/server/live/access";
import { PG_INT_MAX, ZIntParam } from "@/lib/core/query-params";

export const dynamic = "force-dynamic";

const ZEventsQuery = z.object({
  /** a log seq: the lines after it (Last-Event-ID, when valid, wins: it is where a reconnect resumes) */
  after: ZIntParam(0, PG_INT_MAX).optional(),
});

/** Last-Event-ID as EventSource sends it back: our own ids are seqs; anything else is ignored (a replay from `after`). */
function lastEventId(req: Request): number | undefined {
  const raw = req.headers.get("last-event-id")?.trim();
  return raw && /^\d{1,10}$/.test(raw) && Number(raw) <= PG_INT_MAX ? Number(raw) : undefined;
}

// SSE: `build` (a full snapshot), `log` (new lines; id = last seq, so a reconnect resumes after it), `end`.
export const GET = withApp(
  "/api/apps/[app]/stages/[stage]/builds/[number]/events",
  "view",
  async ({ app, params, query, req }) => {
    const { build } = await getBuildRow(app, params.stage, params.number);
    const lastSeq = lastEventId(req) ?? query.after ?? 0;
    return sseResponse(req.signal, (channel) => followBuild(build.id, lastSeq, channel), {
      stillAllowed: streamAccess(req, app.name, "view"),
    });
  },
  { query: ZEventsQuery },
);
