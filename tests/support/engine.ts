// Helpers for tests that run real builds: an in-process worker, create an app and stage, deploy,
// wait for the end, and the seed's scenario.
import { afterAll, beforeAll, expect } from "vitest";
import { db } from "@/lib/server/db";
import { TERMINAL_BUILD_STATUSES, type TBuildStatus } from "@/lib/core/domain";
import { deploy } from "@/lib/server/operations/deploy";
import { startWorker, type TWorker, type TWorkerOptions } from "@/lib/worker/start-worker";
import { billingApi, commit, notifyJob, waitFor } from "./fixtures";
import { appRef, TEST_ACTOR } from "./context";
import { ZDeployBody } from "@/lib/core/validation";

/** Registers hooks that start a worker in this process before the file's tests and stop it after. */
export function withWorker(options: TWorkerOptions = {}) {
  let worker: TWorker | undefined;
  beforeAll(async () => {
    worker = await startWorker({ quiet: true, leaseMs: 3000, ...options });
  });
  afterAll(async () => {
    await worker?.stop();
  });
}

export async function createStage(app: string, stage = "prod") {
  const row = await db.app.create({ data: { name: app, stages: { create: [{ name: stage }] } }, include: { stages: true } });
  return row.stages[0]!;
}

/** An app whose pipeline is `stages`, in that order (dev then prod by default). */
export async function createPipeline(app: string, stages = ["dev", "prod"]) {
  await db.app.create({ data: { name: app, stages: { create: stages.map((name, position) => ({ name, position })) } } });
}

export async function deployAndWait(
  app: string,
  stage: string,
  services: { name: string; dependsOn?: string[]; template: unknown }[],
  message = "deploy",
) {
  const queued = await deploy({
    app: await appRef(app),
    stage: stage,
    input: ZDeployBody.parse({ commit: commit(message), services }),
    actor: TEST_ACTOR,
  });
  return waitForBuild(app, stage, queued.number);
}

export async function waitForBuild(app: string, stage: string, number: number, timeoutMs = 30_000) {
  return waitFor(
    `build #${number} to end`,
    async () => {
      const b = await db.build.findFirst({
        where: { number, stage: { name: stage, app: { name: app } } },
        include: { steps: { orderBy: { position: "asc" } } },
      });
      return b && TERMINAL_BUILD_STATUSES.includes(b.status as TBuildStatus) ? b : null;
    },
    timeoutMs,
  );
}

export async function liveOf(stageId: number) {
  const rows = await db.liveState.findMany({ where: { stageId }, orderBy: { service: "asc" } });
  return Object.fromEntries(rows.map((r) => [r.service, r.artifactDigest]));
}

export async function stackNames(stageId: number) {
  return (await db.sandboxStack.findMany({ where: { stageId }, orderBy: { name: "asc" } })).map((s) => s.name);
}

export async function logText(buildId: number) {
  return (await db.logLine.findMany({ where: { buildId }, orderBy: { seq: "asc" } }))
    .map((l) => `${l.service ?? "-"}: ${l.text}`)
    .join("\n");
}

/** The services of a finished build in the order their steps started; unchanged ones left out. */
export function runOrder(steps: { key: string; startedAt: Date | null; action: string }[]) {
  return steps
    .filter((s) => s.action !== "unchanged")
    .sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime())
    .map((s) => s.key);
}

type TSeedTemplates = { billingApi: (o: { topic: boolean }) => unknown; notifyJob: (o: { imports: boolean }) => unknown };

/**
 * The seed's scenario on `app`/prod: #1 without the topic, #2 the faulty commit that adds the topic,
 * its export and the import. Sandbox templates on a new stage unless told other ones.
 */
export async function seedScenario(app: string, opts: { templates?: TSeedTemplates; newStage?: typeof createStage } = {}) {
  const t = opts.templates ?? { billingApi, notifyJob };
  const stage = await (opts.newStage ?? createStage)(app);
  const first = await deployAndWait(
    app,
    "prod",
    [
      { name: "billing-api", template: t.billingApi({ topic: false }) },
      { name: "notify-job", template: t.notifyJob({ imports: false }) },
    ],
    "first",
  );
  const faulty = await deployAndWait(
    app,
    "prod",
    [
      { name: "billing-api", template: t.billingApi({ topic: true }) },
      { name: "notify-job", template: t.notifyJob({ imports: true }) },
    ],
    "Add note-purchased topic",
  );
  expect([first.status, faulty.status], await logText(faulty.id)).toEqual(["success", "success"]);
  return { stage, first, faulty };
}
