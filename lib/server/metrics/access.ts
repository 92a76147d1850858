import "server-only";
import crypto from "node:crypto";
import { AppError } from "@/lib/core/errors";
import { isInstanceAdmin, requireActor } from "@/lib/server/auth/authz";

// Who may read /api/metrics: a scraper with SPROUT_METRICS_TOKEN as its bearer token, or an
// instance admin (session or instance-wide admin token). Metrics name apps and stages.

const digest = (s: string) => crypto.createHash("sha256").update(s).digest();

export async function requireMetricsReader(req: Request): Promise<void> {
  const expected = process.env.SPROUT_METRICS_TOKEN;
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.get("authorization") ?? "")?.[1]?.trim();
  if (expected && bearer && crypto.timingSafeEqual(digest(bearer), digest(expected))) return;
  const actor = await requireActor(req.headers);
  if (!isInstanceAdmin(actor)) {
    throw new AppError("forbidden", "Reading the metrics needs an instance admin or the token in SPROUT_METRICS_TOKEN.");
  }
}
