import "server-only";
import { claimBuild, replanIfLiveMoved } from "@/lib/worker/build/claim";
import { failBuild, finishBuild } from "@/lib/worker/build/finish";
import { runSteps } from "@/lib/worker/build/steps";
import type { TRunOptions } from "@/lib/worker/build/types";
import { runSourceBuild } from "@/lib/worker/source/run-source";

// The run_build job: claim the build (one per stage at a time), re-plan it if the live state moved
// since it was queued, run its steps as a DAG under a lease, then record its end and release. A
// source build checks out and packages first, and is planned only then (lib/worker/source).

export async function runBuild(buildId: number, opts: TRunOptions): Promise<void> {
  const build = await claimBuild(buildId, opts);
  if (!build) return;
  if (build.source) return runSourceBuild(build, opts);
  if (build.status === "queued" && !build.cancelRequested) {
    const cannotRun = await replanIfLiveMoved(build);
    if (cannotRun) return failBuild(build, cannotRun, opts);
  }
  const outcome = await runSteps(build, opts);
  if (outcome.lostLease) return; // another worker took the build over; it finishes it
  await finishBuild(build, outcome, opts);
}
