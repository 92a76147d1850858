import "server-only";
import { db, type Prisma } from "@/lib/server/db";
import { packageKey, CHECKOUT_KEY } from "@/lib/core/domain";
import { changedServices } from "@/lib/core/source/changed-services";
import { parseSproutYml, SPROUT_YML, SproutYmlError, stageParameters, type TSproutConfig } from "@/lib/core/source/sprout-yml";
import { DriverError } from "@/lib/server/drivers/types";
import { openMirror, type Mirror } from "@/lib/server/source/mirror";
import { SourceError } from "@/lib/server/source/git";
import type { TClaimedBuild } from "@/lib/worker/build/claim";
import { workspaceId, type TSourceState } from "./state";
import { baseCommits } from "./base-commits";
import { checkoutWorkspace } from "@/lib/server/source/workspace";

// A source build's first step: fetch the app's mirror, resolve the ref to a commit, read
// sprout.yml there, and decide which services to rebuild: those whose files changed since the
// newest commit known to give their live artifact (base-commits.ts), all of them on a stage's first
// build or when forced. The others keep their live template. Then the commit is checked out for
// the package steps.

type TLog = (line: string) => void;

const short = (sha: string) => sha.slice(0, 7);

export async function mirrorOf(build: TClaimedBuild): Promise<{ mirror: Mirror; app: { id: number; name: string } }> {
  const app = await db.app.findUniqueOrThrow({ where: { id: build.stage.appId }, select: { id: true, name: true, repositoryUrl: true } });
  if (!app.repositoryUrl) throw new DriverError(`${app.name} has no repository connected any more: connect it again to build from source.`);
  return { mirror: openMirror({ app: app.id, url: app.repositoryUrl }), app };
}

/** Runs the checkout; returns the services to package (the package steps are created here). */
export async function checkout(build: TClaimedBuild, state: TSourceState, log: TLog): Promise<void> {
  const { mirror } = await mirrorOf(build);
  let sha: string;
  let config: TSproutConfig;
  try {
    log(`Fetching ${mirror.url} …`);
    const { durationMs } = await mirror.sync();
    // a pull request's head: on a fork, its commits are in no branch of the repository
    if (state.fetchRef) log(`Fetched ${state.fetchRef}: ${short(await mirror.fetchRef(state.fetchRef))}`);
    sha = await mirror.resolve(state.ref);
    const info = await mirror.commitInfo(sha);
    log(
      `${state.ref === sha ? short(sha) : `${state.ref} is ${short(sha)}`}: ${info.message} (${info.author}) · fetched in ${durationMs} ms`,
    );
    await db.build.update({ where: { id: build.id }, data: { commitSha: sha, commitMessage: info.message, commitAuthor: info.author } });
    const text = await mirror.readFile(sha, SPROUT_YML);
    if (text === null)
      throw new DriverError(
        `${SPROUT_YML} is missing at the root of ${short(sha)}: add one that lists the services (path, template, build).`,
      );
    config = parseSproutYml(text);
  } catch (e) {
    if (e instanceof SourceError || e instanceof SproutYmlError) throw new DriverError(e.message);
    throw e;
  }
  const names = config.services.map((s) => s.name);
  const unknown = (state.services ?? []).filter((s) => !names.includes(s));
  if (unknown.length)
    throw new DriverError(
      `services: ${unknown.join(", ")} ${unknown.length > 1 ? "are" : "is"} not in ${SPROUT_YML} (it lists ${names.join(", ")}).`,
    );
  const candidates = config.services.filter((s) => !state.services || state.services.includes(s.name));

  const { rebuild, reuse } = await decide(
    build,
    mirror,
    config,
    candidates.map((s) => s.name),
    sha,
    state.force,
    log,
  );
  const parameters = Object.fromEntries(candidates.map((s) => [s.name, stageParameters(config, build.stage.name, s.name)]));
  const next: TSourceState = { ...state, sha, config: candidates, parameters, rebuild, reuse };
  await db.$transaction(async (tx) => {
    await tx.build.update({ where: { id: build.id }, data: { source: next as unknown as Prisma.InputJsonValue } });
    await tx.step.createMany({
      data: rebuild.map((service, i) => ({
        buildId: build.id,
        key: packageKey(service),
        service,
        action: "package" as const,
        status: "pending" as const,
        phase: 2,
        after: [CHECKOUT_KEY],
        position: i + 1,
      })),
    });
  });
  if (rebuild.length) {
    const ws = await checkoutWorkspace({ mirror, commit: sha, id: workspaceId(build.id), reuseKey: String(build.stage.appId) });
    log(`Checked out ${short(sha)} in ${ws.durationMs} ms${ws.reused ? " (an earlier build's workspace, reset to it and cleaned)" : ""}.`);
  }
}

/** Which services to rebuild, and for the others the live artifact whose template they keep. */
async function decide(
  build: TClaimedBuild,
  mirror: Mirror,
  config: TSproutConfig,
  candidates: string[],
  sha: string,
  force: boolean,
  log: TLog,
): Promise<{ rebuild: string[]; reuse: Record<string, string> }> {
  const live = await db.liveState.findMany({ where: { stageId: build.stage.id, service: { in: candidates } } });
  const bases = await baseCommits(build.stage.id, live);
  const changedSince = new Map<string, Map<string, string> | null>(); // base -> service -> why
  const rebuild: string[] = [];
  const reuse: Record<string, string> = {};
  for (const service of candidates) {
    const row = live.find((l) => l.service === service);
    const base = bases.get(service);
    const why = force ? "forced" : !row ? "not live in this stage" : !base ? "its live artifact has no commit" : null;
    if (why) {
      rebuild.push(service);
      log(`${service}: rebuilt (${why})`);
      continue;
    }
    if (!changedSince.has(base!)) {
      const paths = await mirror.changedPaths(base!, sha).catch((e: unknown) => {
        if (e instanceof SourceError) return null; // e.g. the commit was force-pushed away: rebuild
        throw e;
      });
      changedSince.set(base!, paths && new Map(changedServices(config, paths).map((c) => [c.name, c.reason])));
    }
    const changed = changedSince.get(base!);
    if (!changed || changed.has(service)) {
      rebuild.push(service);
      log(
        `${service}: rebuilt (${changed ? `${changed.get(service)} since ${short(base!)}` : `${short(base!)} is not in the repository any more`})`,
      );
    } else {
      reuse[service] = row!.artifactDigest;
      log(`${service}: unchanged since ${short(base!)}, its live template is reused`);
    }
  }
  return { rebuild, reuse };
}
