import { withApp } from "@/lib/server/http";
import { refreshStage } from "@/lib/server/operations/refresh-stage";

// Reads the stage's stacks from its account and records what is really deployed: `{ drift, refreshedAt }`.
export const POST = withApp("/api/apps/[app]/stages/[stage]/refresh", "refresh", ({ app, actor, params }) =>
  refreshStage({ app, stage: params.stage, actor }),
);
