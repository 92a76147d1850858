import { withApp } from "@/lib/server/http";
import { unpinStage } from "@/lib/server/operations/pin";

/** Unpins a stage pinned by a rollback: pushes deploy again. Answers `{ pinned: null, unpinned }` (false: it was not pinned). */
export const DELETE = withApp("/api/apps/[app]/stages/[stage]/pin", "unpin", ({ app, actor, params }) =>
  unpinStage({ app, stage: params.stage, actor }),
);
