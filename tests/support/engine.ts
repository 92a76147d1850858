// Helpers for tests that run real builds: create an app and stage, deploy, wait for the end.
import { db } from "@/lib/db";
import { TERMINAL_BUILD_STATUSES, type TBuildStatus } from "@/lib/domain";
import { deploy } from "@/lib/operations/deploy";
import { commit, waitFor } from "./fixtures";

export async function createStage(app: string, stage = "prod") {
  const row = await db.app.create({ data: { name: app, stages: { create: [{ name: stage }] } }, include: { stages: true } });
  return row.stages[0]!;
}

export async function deployAndWait(app: string, stage: string, services: { name: string; dependsOn?: string[]; template: unknown }[], message = "deploy") {
  const queued = await deploy(app, stage, { commit: commit(message), services }, "test");
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
  return (await db.logLine.findMany({ where: { buildId }, orderBy: { seq: "asc" } })).map((l) => `${l.service ?? "-"}: ${l.text}`).join("\n");
}
