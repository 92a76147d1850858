import "server-only";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { getBuildRow } from "@/lib/server/data/lookup";
import { buildDetailJson, buildDetailSelect } from "@/lib/server/data/build-json";
import { dequeue, runBuildJobKey } from "@/lib/server/jobs";
import { endBuild } from "./end-build";
import { recordAudit } from "@/lib/server/data/audit";
import type { TBuildDetailJson } from "@/lib/core/contracts";
import type { TActor, TAppRef } from "@/lib/server/context";

// Cancel: a queued build, or one awaiting approval, ends at once (its job is removed); a running one is asked to stop: its
// worker sees the flag within about a second, stops the running steps (each driver says what it
// left behind) and cancels the rest. Canceling twice is harmless (and audited once).

export interface TCancelBuildOptions {
  app: TAppRef;
  stage: string;
  number: number;
  actor: TActor;
}

export async function cancelBuild({ app, stage, number, actor }: TCancelBuildOptions): Promise<TBuildDetailJson> {
  const { stage: st, build } = await getBuildRow(app, stage, number);
  let acted = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = await db.build.findUniqueOrThrow({ where: { id: build.id }, select: { status: true } });
    if (now.status === "queued" || now.status === "awaiting_approval") {
      const done = await db.$transaction(async (tx) => {
        const ended = await endBuild(tx, {
          buildId: build.id,
          stageId: build.stageId,
          status: "canceled",
          error: null,
          from: now.status as "queued" | "awaiting_approval",
          extra: { cancelRequested: true },
        });
        if (!ended) return false;
        await tx.step.updateMany({ where: { buildId: build.id, status: "pending" }, data: { status: "canceled" } });
        await dequeue(tx, runBuildJobKey(build.id));
        return true;
      });
      if ((acted = done)) break;
    } else if (now.status === "running") {
      // guarded on the flag too: asking twice is one cancel, audited once
      const { count } = await db.build.updateMany({
        where: { id: build.id, status: "running", cancelRequested: false },
        data: { cancelRequested: true },
      });
      if ((acted = count > 0)) break;
      const again = await db.build.findUniqueOrThrow({ where: { id: build.id }, select: { status: true, cancelRequested: true } });
      if (again.status === "running" && again.cancelRequested) break;
    } else if (now.status === "canceled") {
      break;
    } else {
      throw new AppError("conflict", `Build #${build.number} already ended (${now.status}); there is nothing to cancel.`);
    }
  }
  if (acted) await recordAudit(db, { appId: st.appId, actor: actor.label, action: "cancel", target: `${st.name} #${build.number}` });
  return buildDetailJson(await db.build.findUniqueOrThrow({ where: { id: build.id }, select: buildDetailSelect }));
}
