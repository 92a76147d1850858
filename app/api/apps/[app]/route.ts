import { withApp } from "@/lib/server/http";
import { getApp } from "@/lib/server/data/get-app";

export const GET = withApp("/api/apps/[app]", "view", ({ app }) => getApp({ app }));
