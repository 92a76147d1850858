// The demo: app `notes` with the history the seed's rollback chapter starts from. prod's newest
// build is the faulty "note-purchased topic" commit (billing-api exports a topic that notify-job and
// a new analytics-job import), so rolling back to any older build shows the reverse order at work.
// Builds are planned with the real planner and replayed against a simulated clock; the sandbox
// account ends matching the live state, so a rollback from the UI really runs.
// The app builds from a real git repository (prisma/demo-repo.ts) whose commits are the builds' commits:
// dev tracks main and deploys on push, prod tracks main and is deployed by hand.
// CLI: `npx tsx --conditions=react-server prisma/demo.ts` (loads it into an empty database only).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { db, type Prisma } from "@/lib/server/db";
import { artifactDigest } from "@/lib/core/artifacts";
import { stackNameFrom } from "@/lib/core/stacks";
import type { TServiceState } from "@/lib/core/domain";
import { planBuild } from "@/lib/core/planner";
import { COMMITS, STAGES } from "./demo/history";
import { createDemoRepo, DEMO_BRANCH, demoTemplate, DEPENDS_ON, placeDemoRepo } from "./demo-repo";
import { generateWebhookSecret } from "@/lib/core/source/webhooks";
import { seal } from "@/lib/server/crypto/secret-box";
import { ansi, removeEvents, stackEvents, type TBuildRow, type TLogRow, type TResources, type TStepRow } from "./demo/replay-parts";
import { putStack } from "@/lib/server/drivers/sandbox-account";
import { analyzeTemplate, parseTemplate, substituteStage, type TTemplateAnalysis } from "@/lib/core/templates";

const APP = "notes";
const HOUR = 3_600_000;
/** The stages' CloudFormation parameter values per service (the rest take their Defaults). */
const STAGE_PARAMETERS: Record<string, Record<string, Record<string, string>>> = { prod: { "billing-api": { LogRetentionDays: "30" } } };
/** As a stage without a stackNamePattern names them: {service}-{stage}; stored per stage and service below. */
const stackName = (service: string, stage: string) => stackNameFrom(null, { app: APP, stage, service });

/** Deterministic 0..1 from a key: the demo's timings look organic and load the same every time. */
const jitter = (key: string) => crypto.createHash("sha1").update(key).digest().readUInt16BE(0) / 65_535;

type TArtifact = {
  digest: string;
  service: string;
  template: string;
  dependsOn: string[];
  parameters: Record<string, string>;
  noEcho: string[];
  createdAt: Date;
};
type TLive = Map<string, { digest: string; build: number; updated: boolean }>;

// Parsing YAML is most of the demo's cost: each artifact is parsed once, then analysed per stage
// through its JSON form (the same template: short forms are already read as Fn:: maps).
const parsed = new Map<string, { json: string; resources: TResources }>();
function parse(a: TArtifact) {
  let hit = parsed.get(a.digest);
  if (!hit) {
    const root = parseTemplate(a.template);
    parsed.set(
      a.digest,
      (hit = { json: JSON.stringify(root), resources: new Map(Object.entries(root.Resources as Record<string, { Type: string }>)) }),
    );
  }
  return hit;
}
const resources = (a: TArtifact) => parse(a).resources;
const analysed = new Map<string, { text: string; analysis: TTemplateAnalysis; state: TServiceState }>();
function deployed(a: TArtifact, stage: string) {
  const key = `${stage}:${a.digest}`;
  let hit = analysed.get(key);
  if (!hit) {
    const analysis = analyzeTemplate(parse(a).json, { stage, stackName: stackName(a.service, stage), parameters: a.parameters });
    const state = { artifact: a.digest, exports: analysis.exports, imports: analysis.imports, dependsOn: [...a.dependsOn].sort() };
    analysed.set(key, (hit = { text: substituteStage(a.template, stage), analysis, state }));
  }
  return hit;
}

/** The parameter values a template deploys with in a stage: the stage's, else the Defaults. */
const resolvedParameters = new Map<string, { parameters: Record<string, string>; noEcho: string[] }>();
function parametersFor(service: string, template: string, stage: string) {
  const key = `${stage}:${crypto.createHash("sha1").update(template).digest("hex")}`;
  let hit = resolvedParameters.get(key);
  if (!hit) {
    const given = STAGE_PARAMETERS[stage]?.[service] ?? {};
    const analysis = analyzeTemplate(template, { stage, stackName: stackName(service, stage), parameters: given, service });
    resolvedParameters.set(key, (hit = { parameters: analysis.parameters, noEcho: analysis.noEchoParameters }));
  }
  return hit;
}

function artifactsOf(commit: number, cache: Map<string, TArtifact>, at: Date, stage: string): Map<string, TArtifact> {
  const files = new Map<string, { file: string; at: number }>();
  COMMITS.slice(0, commit + 1).forEach((c, i) => {
    for (const [service, file] of Object.entries(c.files)) files.set(service, { file, at: i });
  });
  const out = new Map<string, TArtifact>();
  for (const [service, { file, at: changedAt }] of files) {
    // what the repository's commit has (notes-api's build command copies it as it is)
    const template = demoTemplate(file, changedAt);
    const dependsOn = DEPENDS_ON[service] ?? [];
    const { parameters, noEcho } = parametersFor(service, template, stage);
    const digest = artifactDigest(service, dependsOn, template, parameters);
    const known = cache.get(digest);
    if (known && known.createdAt > at) known.createdAt = at; // stages replay one after the other: keep the first use
    if (!known) cache.set(digest, { digest, service, template, dependsOn, parameters, noEcho, createdAt: at });
    out.set(service, cache.get(digest)!);
  }
  return out;
}

/** One stage's history: its builds, steps and log lines, replayed in order from an empty account. */
function replay(stage: (typeof STAGES)[number], cache: Map<string, TArtifact>, now: number, shas: string[]) {
  const live: TLive = new Map();
  const state = (service: string, digest: string) => deployed(cache.get(digest)!, stage.name).state;
  const builds: { commit: number; build: TBuildRow; steps: TStepRow[]; logs: TLogRow[] }[] = [];
  const states = (release: Record<string, string>) => Object.fromEntries(Object.entries(release).map(([s, d]) => [s, state(s, d)]));
  for (const [i, spec] of stage.builds.entries()) {
    const number = i + 1;
    const rollbackTo = "rollbackTo" in spec ? spec.rollbackTo : null;
    const commit = "rollbackTo" in spec ? builds[spec.rollbackTo - 1]!.commit : spec.commit;
    const hoursAgo = "hoursAgo" in spec ? spec.hoursAgo : COMMITS[commit]!.hoursAgo - stage.delayHours;
    const createdAt = new Date(now - hoursAgo * HOUR + 60_000 * (1 + jitter(`${stage.name}${number}`)));
    const manifest = rollbackTo
      ? []
      : [...artifactsOf(commit, cache, createdAt, stage.name)].filter(
          ([s, a]) => ("full" in spec && spec.full) || live.get(s)?.digest !== a.digest,
        );
    // a rollback's target is its target's whole release
    const target = rollbackTo ? builds[rollbackTo - 1]!.build.release : Object.fromEntries(manifest.map(([s, a]) => [s, a.digest]));
    const planned = planBuild({
      kind: rollbackTo ? "rollback" : "deploy",
      live: states(Object.fromEntries([...live].map(([s, l]) => [s, l.digest]))),
      target: states(target),
      targetLabel: rollbackTo ? `#${rollbackTo}` : undefined,
    });
    if (!planned.ok) throw new Error(`demo ${stage.name} #${number}: ${planned.error.message}`);

    const startedAt = new Date(createdAt.getTime() + 1500 + 1500 * jitter(`q${stage.name}${number}`));
    const done = new Map<string, { at: number; ok: boolean }>();
    const logs: TLogRow[] = [];
    const steps = planned.plan.steps.map((p, position): TStepRow => {
      const ready = Math.max(startedAt.getTime(), ...p.after.map((s) => done.get(s)?.at ?? 0));
      const blockedBy = p.after.filter((s) => done.get(s)?.ok === false);
      const base = {
        key: p.service,
        service: p.service,
        action: p.action,
        phase: p.phase,
        after: p.after,
        position,
        artifactDigest: p.artifact,
      };
      const stack = stackName(p.service, stage.name);
      // As the worker records them: unchanged and skipped steps never run, so have no times nor log.
      if (p.action === "unchanged") {
        done.set(p.service, { at: ready, ok: true });
        return { ...base, status: "unchanged" as const };
      }
      if (blockedBy.length > 0) {
        done.set(p.service, { at: ready, ok: false });
        return { ...base, status: "skipped" as const, error: `Skipped: ${blockedBy[0]} did not succeed.` };
      }
      if (p.action === "remove") {
        const start = ready + 200;
        const lines = removeEvents(stack, resources(cache.get(live.get(p.service)!.digest)!));
        lines.forEach((text, k) => logs.push({ service: p.service, time: new Date(start + 200 * k), text }));
        done.set(p.service, { at: start + 200 * lines.length, ok: true });
        live.delete(p.service);
        return { ...base, status: "success" as const, startedAt: new Date(start), finishedAt: new Date(start + 200 * lines.length) };
      }
      const { metadata } = deployed(cache.get(p.artifact!)!, stage.name).analysis;
      const start = ready + 100 + Math.round(300 * jitter(`s${stage.name}${number}${p.service}`));
      const end = start + (metadata.deploySeconds ?? 2) * 1000 + Math.round(400 * jitter(`e${stage.name}${number}${p.service}`));
      const prev = live.get(p.service);
      const events = stackEvents(
        stack,
        prev ? resources(cache.get(prev.digest)!) : null,
        resources(cache.get(p.artifact!)!),
        metadata.fail,
      );
      const lines = metadata.fail ? [...events, ansi(31, metadata.fail)] : events;
      lines.forEach((line, k) =>
        logs.push({ service: p.service, time: new Date(start + Math.round(((end - start) * k) / (lines.length - 1))), text: line }),
      );
      done.set(p.service, { at: end, ok: !metadata.fail });
      if (!metadata.fail) live.set(p.service, { digest: p.artifact!, build: number, updated: !!prev });
      const times = { startedAt: new Date(start), finishedAt: new Date(end) };
      return metadata.fail
        ? { ...base, ...times, status: "failed" as const, error: metadata.fail }
        : { ...base, ...times, status: "success" as const };
    });
    logs.sort((a, b) => a.time.getTime() - b.time.getTime());
    const failed = steps.find((s) => s.status === "failed");
    const commitRow = COMMITS[commit]!;
    const promotedFrom = "promotedFrom" in spec ? spec.promotedFrom : undefined;
    const kind = rollbackTo ? ("rollback" as const) : promotedFrom ? ("promote" as const) : ("deploy" as const);
    builds.push({
      commit,
      steps,
      logs,
      build: {
        number,
        kind,
        trigger: kind === "deploy" ? ("push" as const) : kind,
        rollbackOf: rollbackTo,
        reason: "reason" in spec ? spec.reason : null,
        promotedFromStage: promotedFrom?.stage ?? null,
        promotedFromNumber: promotedFrom?.number ?? null,
        status: failed ? ("failed" as const) : ("success" as const),
        commitSha: shas[commit]!,
        commitMessage: commitRow.message,
        commitAuthor: commitRow.author,
        commitBranch: DEMO_BRANCH,
        triggeredBy: spec.by ?? "github:push",
        target,
        warnings: planned.plan.warnings as unknown as Prisma.InputJsonValue,
        release: Object.fromEntries([...live].map(([s, l]) => [s, l.digest])),
        error: failed ? `${failed.service} failed: ${failed.error}` : null,
        logSeq: logs.length,
        createdAt,
        startedAt,
        finishedAt: new Date(Math.max(...[...done.values()].map((d) => d.at)) + 300),
      },
    });
  }
  // a stage whose story ends with a successful rollback is pinned, as a real one would be
  const last = builds.at(-1)?.build;
  const pin =
    last?.kind === "rollback" && last.status === "success"
      ? {
          pinnedBuild: last.rollbackOf,
          pinnedRollback: last.number,
          pinnedBy: last.triggeredBy,
          pinnedAt: last.finishedAt,
          pinnedReason: last.reason,
        }
      : {};
  return { builds, live, pin };
}

type TSummary = { builds: Record<string, number>; services: number; logLines: number; repository: string; ms: number };

async function load(onlyIfEmpty: boolean): Promise<TSummary | null> {
  const t0 = performance.now();
  // a second start must not touch the repository a newcomer commits in: look before making one
  if (onlyIfEmpty && (await db.app.count()) > 0) return null;
  const now = Date.now();
  const repo = await createDemoRepo(now);
  try {
    return await loadWith(onlyIfEmpty, now, repo, t0);
  } finally {
    fs.rmSync(repo.dir, { recursive: true, force: true }); // still there when the demo was not loaded after all
  }
}

async function loadWith(onlyIfEmpty: boolean, now: number, repo: { dir: string; shas: string[] }, t0: number): Promise<TSummary | null> {
  const cache = new Map<string, TArtifact>();
  const stages = STAGES.map((s) => ({ spec: s, ...replay(s, cache, now, repo.shas) }));
  const services = new Map<string, Date>();
  for (const a of [...cache.values()].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime())) {
    if (!services.has(a.service)) services.set(a.service, a.createdAt);
  }
  const firstAt = new Date(Math.min(...[...services.values()].map((d) => d.getTime())) - 2 * HOUR);

  let repository = "";
  const loaded = await db.$transaction(
    async (tx) => {
      // Two starts at once (web and a script) must not both load it, nor half of it.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('sprout:demo'))`;
      if (onlyIfEmpty && (await tx.app.count()) > 0) return false;
      if (await tx.app.findUnique({ where: { name: APP } })) {
        throw new Error(`The demo app "${APP}" already exists: delete it first to load the demo again.`);
      }
      const app = await tx.app.create({
        data: {
          name: APP,
          createdAt: firstAt,
          services: { createMany: { data: [...services].map(([name, createdAt]) => ({ name, createdAt })) } },
          stages: {
            createMany: {
              data: stages.map(({ spec, builds, pin }) => ({
                name: spec.name,
                position: spec.position,
                branch: DEMO_BRANCH,
                autoDeploy: spec.name !== "prod",
                driver: "sandbox" as const,
                parameters: STAGE_PARAMETERS[spec.name] ?? {},
                ...pin,
                lastBuildNumber: builds.length,
                createdAt: new Date(builds[0]!.build.createdAt.getTime() - HOUR),
              })),
            },
          },
        },
        include: { stages: true },
      });
      await tx.artifact.createMany({ data: [...cache.values()], skipDuplicates: true });
      for (const { spec, builds, live } of stages) {
        const stageId = app.stages.find((s) => s.name === spec.name)!.id;
        const rows = await tx.build.createManyAndReturn({
          data: builds.map((b) => ({ ...b.build, stageId })),
          select: { id: true, number: true },
        });
        const idOf = new Map(rows.map((r) => [r.number, r.id]));
        // the audit records every build, these too: as queueBuild would have, at the time it was queued
        await tx.auditEvent.createMany({
          data: builds.map(({ build: b }) => ({
            appId: app.id,
            actor: b.triggeredBy,
            action: b.kind,
            target: `${spec.name} #${b.number}`,
            detail: b.rollbackOf
              ? { rollbackOf: b.rollbackOf, reason: b.reason }
              : b.promotedFromStage
                ? { promotedFrom: `${b.promotedFromStage} #${b.promotedFromNumber}` }
                : { commit: b.commitSha },
            createdAt: b.createdAt,
          })),
        });
        await tx.step.createMany({ data: builds.flatMap((b) => b.steps.map((s) => ({ ...s, buildId: idOf.get(b.build.number)! }))) });
        const logs = builds.flatMap((b) => b.logs.map((l, i) => ({ ...l, seq: i + 1, buildId: idOf.get(b.build.number)! })));
        // Hundreds of rows: one unnest is several times faster than createMany's parameter list.
        await tx.$executeRaw`INSERT INTO log_lines (build_id, seq, service, time, text)
          SELECT b, s, sv, t AT TIME ZONE 'UTC', x FROM unnest(${logs.map((l) => l.buildId)}::int[], ${logs.map((l) => l.seq)}::int[],
            ${logs.map((l) => l.service)}::text[], ${logs.map((l) => l.time.toISOString())}::timestamptz[], ${logs.map((l) => l.text)}::text[]) AS u(b, s, sv, t, x)`;
        await tx.liveState.createMany({
          data: [...live].map(([service, l]) => ({ stageId, service, artifactDigest: l.digest, buildNumber: l.build })),
        });
        const stepped = new Set(builds.flatMap((b) => b.steps.filter((s) => s.status !== "unchanged").map((s) => s.service)));
        await tx.stageStack.createMany({
          data: [...stepped].map((service) => ({ stageId, service, name: stackName(service, spec.name) })),
        });
        for (const [service, l] of live) {
          const name = stackName(service, spec.name);
          const { text, analysis } = deployed(cache.get(l.digest)!, spec.name);
          await putStack(tx, stageId, { name, template: text, analysis, status: l.updated ? "UPDATE_COMPLETE" : "CREATE_COMPLETE" });
        }
      }
      // last: a failure before leaves the repository where it was made, and the folder unchanged
      repository = placeDemoRepo(repo.dir).path;
      // without SPROUT_SECRET_KEY (a DATABASE_URL of one's own) there is no webhook secret: rotate one on the settings page
      const webhookSecret = process.env.SPROUT_SECRET_KEY ? seal(generateWebhookSecret()) : null;
      await tx.app.update({ where: { id: app.id }, data: { repositoryUrl: repository, webhookSecret } });
      return true;
    },
    { timeout: 20_000 },
  );
  if (!loaded) return null;
  return {
    builds: Object.fromEntries(stages.map((s) => [s.spec.name, s.builds.length])),
    services: services.size,
    logLines: stages.reduce((n, s) => n + s.builds.reduce((m, b) => m + b.logs.length, 0), 0),
    repository,
    ms: Math.round(performance.now() - t0),
  };
}

/** Creates the demo app `notes`; refuses when it exists. */
export async function loadDemo(): Promise<void> {
  await load(false);
}

/** Loads the demo only into a database without any app (a first start); true when it did. */
export async function loadDemoOnce(): Promise<boolean> {
  return (await load(true)) !== null;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const summary = await load(true);
    if (!summary) console.log("The database already has apps: the demo was not loaded.");
    else {
      const builds = Object.entries(summary.builds)
        .map(([stage, n]) => `${stage} (${n} builds)`)
        .join(", ");
      console.log(
        `Loaded the demo in ${summary.ms} ms: app "${APP}", ${summary.services} services, stages ${builds}, ${summary.logLines} log lines, repository ${summary.repository}.`,
      );
    }
  } finally {
    await db.$disconnect();
  }
}
