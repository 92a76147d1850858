import { withApp } from "@/lib/server/http";
import { rotateWebhookSecret } from "@/lib/server/operations/repository";

/** A new webhook secret, answered this once; the old one stops working at once. */
export const POST = withApp("/api/apps/[app]/repository/secret", "repository", ({ app, actor }) => rotateWebhookSecret({ app, actor }));
