import "server-only";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { getBuildRow } from "@/lib/server/data/lookup";
import { buildDetailJson, buildDetailSelect } from "@/lib/server/data/build-json";
import { liveRelease } from "@/lib/server/data/service-states";
import { recordAudit } from "@/lib/server/data/audit";
import type { TBuildDetailJson } from "@/lib/core/contracts";

// Cancel: a queued build ends at once (its job is removed); a running one is asked to stop: its
// running steps finish, the rest are canceled by the worker. Canceling twice is harmless (and
// audited once). `by` is who asks, as the audit names them.

export async function cancelBuild(app: string, stage: string, number: string, by = "system"): Promise<TBuildDetailJson> {
  const { stage: st, build } = await getBuildRow(app, stage, number);
  let acted = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = await db.build.findUniqueOrThrow({ where: { id: build.id }, select: { status: true } });
    if (now.status === "queued") {
      const release = await liveRelease(db, build.stageId);
      const done = await db.$transaction(async (tx) => {
        const { count } = await tx.build.updateMany({
          where: { id: build.id, status: "queued" },
          data: { status: "canceled", cancelRequested: true, finishedAt: new Date(), release },
        });
        if (!count) return false;
        await tx.step.updateMany({ where: { buildId: build.id, status: "pending" }, data: { status: "canceled" } });
        await tx.$queryRaw`SELECT graphile_worker.remove_job(${`build-${build.id}`})`;
        return true;
      });
      if ((acted = done)) break;
    } else if (now.status === "running") {
      const { count } = await db.build.updateMany({ where: { id: build.id, status: "running" }, data: { cancelRequested: true } });
      if ((acted = count > 0)) break;
    } else if (now.status === "canceled") {
      break;
    } else {
      throw new AppError("conflict", `Build #${build.number} already ended (${now.status}); there is nothing to cancel.`);
    }
  }
  if (acted) await recordAudit(db, { appId: st.appId, actor: by, action: "cancel", target: `${st.name} #${build.number}` });
  return buildDetailJson(await db.build.findUniqueOrThrow({ where: { id: build.id }, select: buildDetailSelect }));
}
