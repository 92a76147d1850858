import { withApp } from "@/lib/server/http";
import { listAudit, ZAuditQuery } from "@/lib/server/data/audit";

/** `?limit=&before=`: `{ events, nextBefore }`, newest first. */
export const GET = withApp("/api/apps/[app]/audit", "view", ({ app, query }) => listAudit({ app, query }), { query: ZAuditQuery });
