import { errorResponse } from "@/lib/server/http";
import { requireMetricsReader } from "@/lib/server/metrics/access";
import { collectMetrics } from "@/lib/server/metrics/collect";

export const dynamic = "force-dynamic";

/** Prometheus' text format; for an instance admin or the bearer of SPROUT_METRICS_TOKEN. */
export async function GET(req: Request) {
  try {
    await requireMetricsReader(req);
    const { text, contentType } = await collectMetrics();
    return new Response(text, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
