// The demo tells the seed's rollback story: prod's newest build is the faulty topic commit, and an
// older successful build is a release without it. These tests read the demo as a user would see it.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import type { TServiceMap } from "@/lib/core/domain";
import { planBuild } from "@/lib/core/planner";
import { stackExports } from "@/lib/server/drivers/sandbox-account";
import { analyzeTemplate } from "@/lib/core/templates";
import { loadDemo, loadDemoOnce } from "@/prisma/demo";

const TOPIC = "ExtNotePurchasedTopicArn-prod";
type TRelease = Record<string, string>;

async function stage(name: string) {
  return db.stage.findFirstOrThrow({
    where: { name, app: { name: "notes" } },
    include: { builds: { orderBy: { number: "asc" }, include: { steps: { orderBy: { position: "asc" } } } }, live: true },
  });
}

async function releaseState(release: TRelease, stageName: string): Promise<TServiceMap> {
  const artifacts = await db.artifact.findMany({ where: { digest: { in: Object.values(release) } } });
  return Object.fromEntries(
    artifacts.map((a) => {
      const { exports, imports } = analyzeTemplate(a.template, { stage: stageName, stackName: `${a.service}-${stageName}` });
      return [a.service, { artifact: a.digest, exports, imports, dependsOn: a.dependsOn }];
    }),
  );
}

beforeAll(async () => {
  expect(await loadDemoOnce()).toBe(true);
});

describe("demo", () => {
  it("loads once: a second start loads nothing and loadDemo refuses a second notes app", async () => {
    expect(await loadDemoOnce()).toBe(false);
    await expect(loadDemo()).rejects.toThrow(/notes.*already exists/);
    expect(await db.app.count()).toBe(1);
  });

  it("numbers each stage's builds 1..n without gaps, over the last weeks", async () => {
    for (const name of ["dev", "prod"]) {
      const st = await stage(name);
      expect(st.builds.map((b) => b.number)).toEqual(st.builds.map((_, i) => i + 1));
      expect(st.lastBuildNumber).toBe(st.builds.length);
      const times = st.builds.map((b) => b.createdAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times.at(-1)).toBeLessThanOrEqual(Date.now());
    }
    const prod = await stage("prod");
    expect(prod.builds.length).toBeGreaterThanOrEqual(12);
    expect(Date.now() - prod.builds[0]!.createdAt.getTime()).toBeGreaterThan(30 * 24 * 3_600_000);
  });

  it("shows the faulty topic commit as prod's newest, successful build, and it is live", async () => {
    const prod = await stage("prod");
    const newest = prod.builds.at(-1)!;
    expect(newest).toMatchObject({
      status: "success",
      commitMessage: "Add note-purchased topic and notify on purchase",
      commitBranch: "main",
    });
    expect(newest.commitSha).toMatch(/^[0-9a-f]{40}$/);
    const live = Object.fromEntries(prod.live.map((l) => [l.service, l.artifactDigest]));
    expect(live).toEqual(newest.release);
    // each live service names the build that deployed it
    for (const l of prod.live) expect((prod.builds[l.buildNumber - 1]!.target as TRelease)[l.service]).toBe(l.artifactDigest);
    // dev deployed the same commit first
    const dev = await stage("dev");
    expect(dev.builds.some((b) => b.kind === "deploy" && b.commitSha === newest.commitSha)).toBe(true);
  });

  it("has billing-api export the topic that notify-job imports, in the sandbox account too", async () => {
    const prod = await stage("prod");
    const state = await releaseState(prod.builds.at(-1)!.release as TRelease, "prod");
    expect(Object.keys(state["billing-api"]!.exports)).toContain(TOPIC);
    expect(state["notify-job"]!.imports).toContain(TOPIC);
    const stacks = await db.sandboxStack.findMany({ where: { stageId: prod.id } });
    expect(stacks.map((s) => s.name).sort()).toEqual(prod.live.map((l) => `${l.service}-prod`).sort());
    expect(Object.keys(stacks.find((s) => s.name === "billing-api-prod")!.exports as object)).toContain(TOPIC);
    expect(stacks.find((s) => s.name === "notify-job-prod")!.imports).toContain(TOPIC);
    // the account is what the sandbox driver would have written deploying these templates
    for (const s of stacks) {
      const analysis = analyzeTemplate(s.template, { stage: "prod", stackName: s.name });
      expect(s.exports).toEqual(stackExports(s.name, analysis));
      expect(s.imports).toEqual(analysis.imports);
    }
  });

  it("offers an older successful build without the topic, and rolling back to it undoes consumers first", async () => {
    const prod = await stage("prod");
    const live = await releaseState(prod.builds.at(-1)!.release as TRelease, "prod");
    const previous = prod.builds.at(-2)!;
    expect(previous.status).toBe("success");
    const target = await releaseState(previous.release as TRelease, "prod");
    expect(Object.keys(target["billing-api"]!.exports)).not.toContain(TOPIC);
    expect(target["notify-job"]!.imports).not.toContain(TOPIC);

    const planned = planBuild({ kind: "rollback", live, target });
    if (!planned.ok) throw new Error(planned.error.message);
    const step = (s: string) => planned.plan.steps.find((x) => x.service === s)!;
    expect(step("billing-api")).toMatchObject({ action: "update" });
    expect(step("notify-job")).toMatchObject({ action: "update" });
    expect(step("analytics-job")).toMatchObject({ action: "remove" });
    expect(step("billing-api").after).toEqual(expect.arrayContaining(["analytics-job", "notify-job"]));
    expect(step("billing-api").phase).toBeGreaterThan(step("notify-job").phase);
  });

  it("records every build in the audit, as a deploy, rollback or promote at the time it was queued", async () => {
    const app = await db.app.findUniqueOrThrow({ where: { name: "notes" } });
    const events = await db.auditEvent.findMany({ where: { appId: app.id }, orderBy: { createdAt: "asc" } });
    for (const name of ["dev", "prod"]) {
      const st = await stage(name);
      const mine = events.filter((e) => e.target.startsWith(`${name} #`));
      expect(mine.map((e) => e.target)).toEqual(st.builds.map((b) => `${name} #${b.number}`));
      for (const [i, e] of mine.entries()) {
        expect(e).toMatchObject({ action: st.builds[i]!.kind, actor: st.builds[i]!.triggeredBy, createdAt: st.builds[i]!.createdAt });
      }
    }
  });

  it("has a failed build whose failed step shows the error and skipped its dependents", async () => {
    const prod = await stage("prod");
    const failed = prod.builds.filter((b) => b.status === "failed");
    expect(failed).toHaveLength(1);
    const [build] = failed;
    expect(build!.number).toBeGreaterThan(1);
    expect(build!.number).toBeLessThan(prod.builds.length);
    const bad = build!.steps.find((s) => s.status === "failed")!;
    expect(bad.error).toMatch(/Resource handler returned message/);
    const skipped = build!.steps.filter((s) => s.status === "skipped");
    expect(skipped.length).toBeGreaterThan(0);
    for (const s of skipped) expect(s.after).toContain(bad.service);
  });

  it("runs every step after its predecessors and numbers log lines 1..logSeq", async () => {
    const prod = await stage("prod");
    for (const b of prod.builds) {
      const finish = new Map(b.steps.map((s) => [s.service, s.finishedAt]));
      for (const s of b.steps.filter((x) => x.startedAt)) {
        for (const p of s.after) expect(s.startedAt!.getTime()).toBeGreaterThanOrEqual(finish.get(p)?.getTime() ?? 0);
        expect(s.finishedAt!.getTime()).toBeLessThanOrEqual(b.finishedAt!.getTime());
      }
      const seqs = await db.logLine.findMany({ where: { buildId: b.id }, select: { seq: true }, orderBy: { seq: "asc" } });
      expect(seqs.map((l) => l.seq)).toEqual(Array.from({ length: b.logSeq }, (_, i) => i + 1));
    }
  });

  it("shows a promote in prod's history and ends with dev pinned after a rollback", async () => {
    const prod = await stage("prod");
    const promoted = prod.builds.filter((b) => b.kind === "promote");
    expect(promoted.map((b) => [b.number, b.promotedFromStage, b.promotedFromNumber, b.trigger])).toEqual([[12, "dev", 3, "promote"]]);
    const dev = await stage("dev");
    const source = dev.builds.find((b) => b.number === 3)!;
    expect(promoted[0]!.commitSha).toBe(source.commitSha);
    const rollback = dev.builds.at(-1)!;
    expect(rollback).toMatchObject({ kind: "rollback", status: "success", rollbackOf: 3, trigger: "rollback" });
    expect(dev).toMatchObject({
      pinnedBuild: 3,
      pinnedRollback: rollback.number,
      pinnedBy: rollback.triggeredBy,
      pinnedReason: rollback.reason,
    });
    // the rollback removed what #4 added, and what is live is #3's release
    expect(rollback.steps.find((s) => s.service === "analytics-job")).toMatchObject({ action: "remove", status: "success" });
    const live = Object.fromEntries(dev.live.map((l) => [l.service, l.artifactDigest]));
    expect(live).toEqual(source.release);
    expect(rollback.release).toEqual(source.release);
    expect((await db.sandboxStack.findMany({ where: { stageId: dev.id } })).map((s) => s.name).sort()).toEqual(
      dev.live.map((l) => `${l.service}-dev`).sort(),
    );
  });
});
