import { withApp } from "@/lib/server/http";
import { logDownload, ZLogDownloadQuery } from "@/lib/server/data/log-download";

export const dynamic = "force-dynamic";

// "Download full log": the build's log (or one step's, ?step=) as text/plain, streamed; authorized as the logs API.
export const GET = withApp(
  "/api/apps/[app]/stages/[stage]/builds/[number]/logs/download",
  "view",
  async ({ app, params, query }) => {
    const { stream, filename } = await logDownload({ app, ...params, query });
    return new Response(stream, {
      headers: {
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
  { query: ZLogDownloadQuery },
);
