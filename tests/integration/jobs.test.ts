import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { cancelBuild } from "@/lib/server/operations/cancel-build";
import { deploy } from "@/lib/server/operations/deploy";
import { ZDeployBody } from "@/lib/core/validation";
import { commit, service } from "../support/fixtures";
import { createStage } from "../support/engine";
import { appRef, TEST_ACTOR } from "../support/context";

// No worker runs in this file: the jobs a change enqueues stay in graphile-worker's queue to be seen.
const jobs = () =>
  db.$queryRaw<{ task_identifier: string; key: string | null; queue_name: string | null }[]>`
    SELECT task_identifier, key, queue_name FROM graphile_worker.jobs ORDER BY id`;

describe("the job registry", () => {
  it("queues a build's run_build in its stage's queue, and a build's end enqueues build_finished with it", async () => {
    const stage = await createStage("jobs");
    const app = await appRef("jobs");
    const input = ZDeployBody.parse({ commit: commit("one"), services: [{ name: "svc", template: service({}) }] });
    const build = await deploy({ app, stage: "prod", input, actor: TEST_ACTOR });
    const id = (await db.build.findFirstOrThrow({ where: { stageId: stage.id, number: build.number } })).id;
    expect(await jobs()).toEqual([{ task_identifier: "run_build", key: `build-${id}`, queue_name: `stage-${stage.id}` }]);

    const canceled = await cancelBuild({ app, stage: "prod", number: build.number, actor: TEST_ACTOR });
    expect(canceled.status).toBe("canceled");
    // the waiting run_build is gone; build_finished came in the same transaction as the end
    expect(await jobs()).toEqual([{ task_identifier: "build_finished", key: `build-finished-${id}`, queue_name: null }]);
  });
});
