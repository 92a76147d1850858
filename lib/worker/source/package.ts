import "server-only";
import path from "node:path";
import { db } from "@/lib/server/db";
import { artifactDigest } from "@/lib/core/artifacts";
import { MAX_TEMPLATE_BYTES, TemplateError, type TTemplateWarning } from "@/lib/core/templates";
import type { TPlanWarning } from "@/lib/core/planner";
import { analyzeFor, stageTarget } from "@/lib/server/data/service-states";
import { stackNamesOf } from "@/lib/server/data/stacks";
import { DriverError, stepStopped } from "@/lib/server/drivers/types";

import { readWorkspaceFile } from "@/lib/server/source/workspace";
import { ensureAppHome, workspacesDir } from "@/lib/server/source/data-dir";
import { buildEnvironment, describeFailure, runCommand, summarizeCommand } from "@/lib/worker/run-command";
import type { TClaimedBuild } from "@/lib/worker/build/claim";
import type { TStep } from "@/lib/worker/build/steps";
import { BuildEnvironmentError } from "@/lib/core/source/build-environment";
import type { TVariables } from "@/lib/core/variables";
import { workspaceId, type TSourceState } from "./state";

// A package step: the service's build command, run in its folder of the checked-out commit with a
// clean environment (PATH, HOME, SPROUT_*, the stage's variables) and killed with its process group
// on cancel or past the stage's time limit; then its template is read and stored as an artifact,
// `${stage}` unresolved (one artifact promotes to another stage), with the stage's parameter values.

/** `variables`: the stage's, read when the build (re)started, the same runSteps masks the log and errors with. */
type TCtx = { log: (line: string) => void; signal: AbortSignal; variables: TVariables };

export async function packageService(build: TClaimedBuild, state: TSourceState, step: TStep, ctx: TCtx): Promise<void> {
  const service = state.config!.find((s) => s.name === step.service);
  if (!service) throw new DriverError(`${step.service} is not in this commit's sprout.yml.`);
  const dir = path.join(workspacesDir(), workspaceId(build.id));
  if (service.build) {
    const app = await db.app.findUniqueOrThrow({ where: { id: build.stage.appId }, select: { name: true } });
    let env: Record<string, string>;
    try {
      env = buildEnvironment({
        app: app.name,
        stage: build.stage.name,
        commit: state.sha!,
        buildNumber: build.number,
        // secrets unsealed: masked in the log and errors by the step's log (runSteps), which was given the same
        variables: Object.fromEntries(Object.entries(ctx.variables).map(([k, v]) => [k, v.value])),
        home: await ensureAppHome(build.stage.appId),
      });
    } catch (e) {
      if (e instanceof BuildEnvironmentError) throw new DriverError(`${e.message}.`);
      throw e;
    }
    ctx.log(`$ ${summarizeCommand(service.build)}   (in ${service.path})`);
    const timeoutMs = Math.round(build.stage.packageTimeoutMinutes * 60_000);
    const result = await runCommand({
      command: service.build,
      cwd: path.join(dir, service.path),
      env,
      timeoutMs,
      signal: ctx.signal,
      onLine: (line) => ctx.log(line.text),
    });
    if (result.aborted) {
      const last = result.tail.length ? ` Last lines:\n${result.tail.join("\n")}` : "";
      const err = stepStopped(
        ctx.signal,
        `\`${summarizeCommand(service.build)}\` was stopped, its processes killed; nothing was deployed.${last}`,
      );
      ctx.log(`\u001b[33m${err.message.split("\n")[0]}\u001b[0m`); // the lines are in the log already
      throw err;
    }
    if (!result.ok) throw new DriverError(describeFailure(service.build, result, timeoutMs));
    ctx.log(`\u001b[32m${summarizeCommand(service.build)} finished in ${(result.durationMs / 1000).toFixed(1)} s\u001b[0m`);
  }
  const template = await readWorkspaceFile({ dir, path: service.templatePath, maxBytes: MAX_TEMPLATE_BYTES }).catch((e: unknown) => {
    throw new DriverError(`${service.templatePath}: ${e instanceof Error ? e.message : String(e)}`);
  });
  if (template === null) {
    throw new DriverError(
      `${service.templatePath} does not exist${service.build ? " after the build command" : ""}: sprout.yml's template for ${service.name} must name the file it deploys.`,
    );
  }
  const { digest, warnings } = await storeArtifact(build, state, service.name, service.dependsOn, template);
  step.artifactDigest = digest;
  ctx.log(`Stored ${service.templatePath} (${Buffer.byteLength(template)} bytes) as ${digest.slice(7, 19)}.`);
  for (const w of warnings) ctx.log(`\u001b[33mwarning: ${w.message}\u001b[0m`);
}

/** The analysis of `template` for this stage: the stage's parameter values over sprout.yml's, else the Defaults. */
async function analyzeForStage(build: TClaimedBuild, state: TSourceState, service: string, template: string) {
  const target = await stageTarget(build.stage);
  const names = await stackNamesOf(db, build.stage, [service]);
  const fromStage = ((build.stage.parameters ?? {}) as Record<string, Record<string, string>>)[service] ?? {};
  const given = { ...(state.parameters?.[service] ?? {}), ...fromStage };
  return analyzeFor(target, service, names[service]!, template, given);
}

/** The artifact of `template` for this stage, and what its template warns of (as a manifest deploy's plan shows it). */
export async function storeArtifact(
  build: TClaimedBuild,
  state: TSourceState,
  service: string,
  dependsOn: string[],
  template: string,
): Promise<{ digest: string; warnings: TPlanWarning[] }> {
  let analysis;
  try {
    analysis = await analyzeForStage(build, state, service, template);
  } catch (e) {
    if (e instanceof TemplateError) throw new DriverError(e.message);
    throw e;
  }
  const deps = [...new Set(dependsOn)].sort();
  const digest = artifactDigest(service, deps, template, analysis.parameters);
  await db.$transaction([
    db.artifact.createMany({
      data: [{ digest, service, template, dependsOn: deps, parameters: analysis.parameters, noEcho: analysis.noEchoParameters }],
      skipDuplicates: true,
    }),
    db.service.createMany({ data: [{ appId: build.stage.appId, name: service }], skipDuplicates: true }),
  ]);
  return { digest, warnings: planWarnings(service, analysis.warnings) };
}

/** What a packaged template warns of, read again when the build is planned (null: it does not read any more). */
export async function packagedWarnings(build: TClaimedBuild, state: TSourceState, service: string, template: string) {
  try {
    return planWarnings(service, (await analyzeForStage(build, state, service, template)).warnings);
  } catch (e) {
    if (e instanceof TemplateError) return []; // the plan says what is wrong with it
    throw e;
  }
}

const planWarnings = (service: string, warnings: TTemplateWarning[]): TPlanWarning[] =>
  warnings.map((w) => ({ code: `template-${w.code}`, message: `${service}: ${w.message}`, services: [service] }));
