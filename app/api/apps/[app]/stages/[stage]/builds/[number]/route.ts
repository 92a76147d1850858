import { withApp } from "@/lib/server/http";
import { getBuild } from "@/lib/server/data/get-build";

export const GET = withApp("/api/apps/[app]/stages/[stage]/builds/[number]", "view", ({ app, params }) => getBuild({ app, ...params }));
