import "server-only";
import fs from "node:fs";
import path from "node:path";
import { db } from "@/lib/server/db";
import { workspacesDir } from "@/lib/server/source/data-dir";
import { checkoutWorkspace, keepWorkspace } from "@/lib/server/source/workspace";
import type { TClaimedBuild } from "@/lib/worker/build/claim";
import { failBuild, finishBuild } from "@/lib/worker/build/finish";
import { readVariables, runSteps, type TSourceExecutor } from "@/lib/worker/build/steps";
import type { TRunOptions } from "@/lib/worker/build/types";
import { checkout, mirrorOf } from "./checkout";
import { packageService } from "./package";
import { planSourceDeploy } from "./plan";
import { sourceOf, workspaceId } from "./state";

// A source build runs in three parts, each as steps with live logs: its checkout (which adds the
// package steps), the package steps (in parallel, under the step concurrency limit), then, once
// every service is packaged, the deploy planned from the new artifacts. A failed package deploys
// nothing. Its workspace is kept for the app's next build at the end (lib/server/source/workspace.ts),
// and removed by a worker's start after a crash.

const SOURCE = new Set(["checkout", "package"]);

export async function runSourceBuild(build: TClaimedBuild, opts: TRunOptions): Promise<void> {
  const dir = path.join(workspacesDir(), workspaceId(build.id));
  let workspace: Promise<unknown> | null = null;
  // one read for the whole build: the package commands get exactly the secrets the step logs mask
  const variables = await readVariables(build);
  const execute: TSourceExecutor = async (step, ctx) => {
    const state = sourceOf(await db.build.findUniqueOrThrow({ where: { id: build.id }, select: { source: true } }))!;
    if (step.action === "checkout") return checkout(build, state, ctx.log);
    // resumed on another machine, or after a crash: the commit is checked out again, once for all steps
    workspace ??= fs.existsSync(dir)
      ? Promise.resolve()
      : mirrorOf(build).then(async ({ mirror }) => {
          await mirror.sync();
          if (state.fetchRef) await mirror.fetchRef(state.fetchRef);
          await checkoutWorkspace({ mirror, commit: state.sha!, id: workspaceId(build.id), reuseKey: String(build.stage.appId) });
        });
    await workspace;
    return packageService(build, state, step, { ...ctx, variables });
  };
  let planned = false;
  let lost = false;
  try {
    for (;;) {
      const outcome = await runSteps(build, opts, execute, variables);
      if (outcome.lostLease) {
        lost = true; // another worker took the build over; it finishes it, in this workspace if on this machine
        return;
      }
      // the steps as they are now: the checkout adds the package steps while the others run
      const now = await db.step.findMany({ where: { buildId: build.id }, select: { action: true, status: true } });
      const failed = now.some((s) => s.status === "failed");
      const sourceLeft = now.some((s) => s.status === "pending" && SOURCE.has(s.action));
      const deploys = now.some((s) => !SOURCE.has(s.action));
      if (failed || outcome.canceled || opts.shutdown.aborted || deploys || planned) return await finishBuild(build, outcome, opts);
      if (sourceLeft) continue; // the checkout added the package steps
      const state = sourceOf(await db.build.findUniqueOrThrow({ where: { id: build.id }, select: { source: true } }))!;
      const cannot = await planSourceDeploy(build, state);
      if (cannot) return await failBuild(build, cannot, opts);
      planned = true;
    }
  } finally {
    if (!opts.shutdown.aborted && !lost)
      void keepWorkspace({ id: workspaceId(build.id), key: String(build.stage.appId) }).catch((e) =>
        console.error("[worker] keeping a workspace", e),
      );
  }
}
