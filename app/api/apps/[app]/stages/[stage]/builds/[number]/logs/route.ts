import { withApp } from "@/lib/server/http";
import { listLogLines, ZLogQuery } from "@/lib/server/data/list-log-lines";

export const GET = withApp(
  "/api/apps/[app]/stages/[stage]/builds/[number]/logs",
  "view",
  ({ app, params, query }) => listLogLines({ app, ...params, query }),
  { query: ZLogQuery },
);
