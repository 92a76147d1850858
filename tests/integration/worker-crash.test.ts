// A worker process killed mid-step loses nothing: the build does not stay "running" forever (a
// sandbox step runs again, a build command's step fails as "worker lost"). And a
// worker asked to stop (SIGTERM) lets its running step finish and hands the build to another; a
// step longer than the drain time is stopped at its end and resumed by the next worker.
import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { deploy } from "@/lib/server/operations/deploy";
import { cancelBuild } from "@/lib/server/operations/cancel-build";
import { startWorker, type TWorker } from "@/lib/worker/start-worker";
import { commit, service, waitFor } from "../support/fixtures";
import { createStage, logText, waitForBuild } from "../support/engine";
import { appRef, TEST_ACTOR } from "../support/context";
import { ZDeployBody, ZSourceDeploy } from "@/lib/core/validation";
import { deploySource } from "@/lib/server/operations/deploy-source";
import { INITIAL, sourceApp } from "../support/source";
import { exited, spawnWorker as spawnWorkerProcess } from "../support/worker-process";

const LEASE_MS = 1500;
let child: ChildProcess | null = null;
let worker: TWorker | null = null;

/** A worker process with this file's short lease and heartbeat. */
const spawnWorker = (env: Record<string, string> = {}) =>
  spawnWorkerProcess({ SPROUT_LEASE_MS: String(LEASE_MS), SPROUT_HEARTBEAT_MS: "500", ...env });

afterEach(async () => {
  child?.kill("SIGKILL");
  child = null;
  await worker?.stop();
  worker = null;
});

describe("a worker that dies", () => {
  it("SIGKILLed mid-step: after its lease the sandbox step runs again on another worker (safe for its driver), the build succeeds", async () => {
    await createStage("crash");
    child = await spawnWorker();
    const queued = await deploy({
      app: await appRef("crash"),
      stage: "prod",
      input: ZDeployBody.parse({
        commit: commit("slow deploy"),
        services: [
          { name: "slow", template: service({ exports: ["Slow-${stage}"], seconds: 3 }) },
          { name: "after-slow", template: service({ imports: ["Slow-${stage}"] }) },
          { name: "quick", template: service({ seconds: 0.1 }) },
        ],
      }),
      actor: TEST_ACTOR,
    });
    await waitFor("the slow step to run and quick to finish", async () => {
      const steps = await db.step.findMany({ where: { build: { number: queued.number, stage: { app: { name: "crash" } } } } });
      return (
        steps.some((s) => s.service === "slow" && s.status === "running") &&
        steps.some((s) => s.service === "quick" && s.status === "success")
      );
    });
    const dead = (await db.step.findFirstOrThrow({ where: { service: "slow", build: { stage: { app: { name: "crash" } } } } })).workerId;
    const gone = exited(child);
    child.kill("SIGKILL");
    await gone;
    child = null;
    const stuck = await db.build.findFirstOrThrow({ where: { number: queued.number, stage: { app: { name: "crash" } } } });
    expect(stuck.status).toBe("running");

    worker = await startWorker({ quiet: true, leaseMs: LEASE_MS });
    const done = await waitForBuild("crash", "prod", queued.number, 20_000);
    expect(done.status).toBe("success");
    expect(Object.fromEntries(done.steps.map((s) => [s.service, [s.status, s.error]]))).toEqual({
      slow: ["success", null],
      "after-slow": ["success", null],
      quick: ["success", null],
    });
    // the database's own record: slow ran twice, first on the dead worker (handed back), then to its end on another
    const slow = done.steps.find((s) => s.service === "slow")!;
    const runs = await db.stepRun.findMany({ where: { stepId: slow.id }, orderBy: { id: "asc" } });
    expect(runs.map((r) => r.outcome)).toEqual(["pending", "success"]);
    expect(runs[0]!.workerId).toBe(dead);
    expect(runs[1]!.workerId).not.toBe(dead);
    expect(await logText(done.id)).toContain("the sandbox driver runs it again safely");
  });

  it("SIGKILLed mid-build-command: the package step fails as 'worker lost' (its workspace went with the worker), the build ends", async () => {
    const files = {
      ...INITIAL,
      "services/producer/build.sh": { text: "#!/bin/sh\necho building\nsleep 20\n", mode: 0o755 },
    };
    const app = await sourceApp("crash-src", files);
    child = await spawnWorker();
    const ref = await appRef(app.name);
    const queued = await deploySource({ app: ref, stage: "prod", input: ZSourceDeploy.parse({ ref: app.first }), actor: TEST_ACTOR });
    await waitFor("the build command to run", async () =>
      db.step.findFirst({ where: { key: "package:producer", status: "running", build: { stage: { app: { name: app.name } } } } }),
    );
    const gone = exited(child);
    child.kill("SIGKILL");
    await gone;
    child = null;

    worker = await startWorker({ quiet: true, leaseMs: LEASE_MS });
    const done = await waitForBuild(app.name, "prod", queued.number, 20_000);
    expect(done.status).toBe("failed");
    const producer = done.steps.find((s) => s.key === "package:producer")!;
    expect([producer.status, producer.error]).toEqual(["failed", "Worker lost: the worker running this step stopped before it finished."]);
    expect(done.finishedAt).not.toBeNull();
  });

  it("SIGTERMed mid-step: the running step finishes, the worker exits, another worker resumes the build to success", async () => {
    const stage = await createStage("graceful");
    child = await spawnWorker();
    const queued = await deploy({
      app: await appRef("graceful"),
      stage: "prod",
      input: ZDeployBody.parse({
        commit: commit("two steps"),
        services: [
          { name: "first", template: service({ exports: ["First-${stage}"], seconds: 1.5 }) },
          { name: "second", template: service({ imports: ["First-${stage}"] }) },
        ],
      }),
      actor: TEST_ACTOR,
    });
    await waitFor(
      "first to run",
      async () => (await db.step.findFirst({ where: { service: "first", status: "running", build: { stageId: stage.id } } })) ?? null,
    );
    const code = exited(child);
    child.kill("SIGTERM");
    expect(await code).toBe(0);
    child = null;
    const handedBack = await db.build.findFirstOrThrow({
      where: { number: queued.number, stageId: stage.id },
      include: { steps: { orderBy: { position: "asc" } } },
    });
    expect(handedBack.steps.map((s) => [s.service, s.status])).toEqual([
      ["first", "success"],
      ["second", "pending"],
    ]);

    worker = await startWorker({ quiet: true, leaseMs: LEASE_MS });
    const done = await waitForBuild("graceful", "prod", queued.number, 20_000);
    expect(done.status).toBe("success");
    expect(done.steps.map((s) => [s.service, s.status])).toEqual([
      ["first", "success"],
      ["second", "success"],
    ]);
  });

  it("SIGTERMed with a 1,000 s step: exits within the drain time, the step is handed back, another worker resumes it", async () => {
    const stage = await createStage("drain");
    child = await spawnWorker({ SPROUT_DRAIN_SECONDS: "2" });
    const queued = await deploy({
      app: await appRef("drain"),
      stage: "prod",
      input: ZDeployBody.parse({ commit: commit("long"), services: [{ name: "long", template: service({ seconds: 1000 }) }] }),
      actor: TEST_ACTOR,
    });
    const runningNow = () => db.step.findFirst({ where: { service: "long", status: "running", build: { stageId: stage.id } } });
    await waitFor("long to run", runningNow);
    const code = exited(child);
    const signaled = Date.now();
    child.kill("SIGTERM");
    expect(await code).toBe(0);
    expect(Date.now() - signaled).toBeLessThan(2000 + 3000);
    child = null;
    const handedBack = await db.build.findFirstOrThrow({ where: { number: queued.number, stageId: stage.id }, include: { steps: true } });
    expect(handedBack.status).toBe("running");
    expect(handedBack.steps.map((s) => [s.service, s.status, s.error])).toEqual([["long", "pending", null]]);
    const log = await logText(handedBack.id);
    expect(log).toContain("long: \u001b[33mStopped: the worker shut down: nothing was changed; stack long-prod was not created.");
    expect(log).toContain("long: [sprout] handed back: the next worker runs long again.");

    worker = await startWorker({ quiet: true, leaseMs: LEASE_MS });
    await waitFor("long to run again on the other worker", runningNow, 10_000);
    expect(await logText(handedBack.id)).toMatch(/build resumed by worker/);
    await cancelBuild({ app: await appRef("drain"), stage: "prod", number: queued.number, actor: TEST_ACTOR });
    const done = await waitForBuild("drain", "prod", queued.number, 10_000);
    expect(done.status).toBe("canceled");
    expect(done.steps.map((s) => [s.service, s.status])).toEqual([["long", "canceled"]]);
  });
});
