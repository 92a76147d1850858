// The read API against a real PostgreSQL: keyset paging of a stage's history, one build with its
// rollbacks, log lines by seq, an app's pipeline and service graph, and the 400/404 answers.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/core/errors";
import { getApp } from "@/lib/server/data/get-app";
import { getBuild } from "@/lib/server/data/get-build";
import { listBuilds } from "@/lib/server/data/list-builds";
import { listLogLines } from "@/lib/server/data/list-log-lines";
import { ensureBootstrapToken } from "@/lib/server/auth/tokens";
import { GET as buildsRoute } from "@/app/api/apps/[app]/stages/[stage]/builds/route";
import { GET as buildRoute } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/route";
import { GET as logsRoute } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/logs/route";
import { appRef } from "../support/context";
import { ZListBuildsQuery } from "@/lib/server/data/list-builds";
import { ZLogQuery } from "@/lib/server/data/list-log-lines";
import { parseBuildNumber } from "@/lib/server/data/lookup";

const TOTAL = 61;
let prodId = 0;

const notFound = (message: RegExp) => expect.objectContaining({ code: "not_found", message: expect.stringMatching(message) });

beforeAll(async () => {
  const app = await db.app.create({
    data: {
      name: "read-api",
      services: { create: [{ name: "billing-api" }, { name: "notify-job" }, { name: "web" }] },
      stages: {
        create: [
          { name: "prod", position: 1 },
          { name: "dev", position: 0 },
        ],
      },
    },
    include: { stages: true },
  });
  prodId = app.stages.find((s) => s.name === "prod")!.id;
  const base = {
    stageId: prodId,
    kind: "deploy" as const,
    status: "success" as const,
    commitSha: "0123456789abcdef",
    triggeredBy: "test",
    target: {},
  };
  await db.build.createMany({
    data: Array.from({ length: TOTAL }, (_, i) => {
      const number = i + 1;
      const rollback = number === 30 || number === 45;
      return { ...base, number, commitMessage: `commit ${number}`, ...(rollback ? { kind: "rollback" as const, rollbackOf: 10 } : {}) };
    }),
  });
  const b10 = await db.build.findUniqueOrThrow({ where: { stageId_number: { stageId: prodId, number: 10 } } });
  await db.step.createMany({
    data: [
      {
        buildId: b10.id,
        key: "notify-job",
        service: "notify-job",
        action: "update",
        status: "success",
        phase: 1,
        after: ["billing-api"],
        position: 1,
      },
      {
        buildId: b10.id,
        key: "billing-api",
        service: "billing-api",
        action: "update",
        status: "success",
        phase: 0,
        after: [],
        position: 0,
      },
    ],
  });
  await db.logLine.createMany({
    data: Array.from({ length: 12 }, (_, i) => ({
      buildId: b10.id,
      seq: i + 1,
      service: i % 3 === 2 ? "notify-job" : "billing-api",
      text: `line ${i + 1}`,
    })),
  });
  const templates = {
    "billing-api": JSON.stringify({
      Resources: { T: { Type: "AWS::SNS::Topic" } },
      Outputs: { A: { Value: { Ref: "T" }, Export: { Name: "ExtNotePurchasedTopicArn-${stage}" } } },
    }),
    "notify-job":
      "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Topic: !ImportValue ExtNotePurchasedTopicArn-${stage}\n",
  };
  for (const [service, template] of Object.entries(templates)) {
    await db.artifact.create({ data: { digest: `sha256:${service}`, service, template, dependsOn: [] } });
    await db.liveState.create({ data: { stageId: prodId, service, artifactDigest: `sha256:${service}`, buildNumber: 10 } });
  }
});

describe("a stage's history", () => {
  it("pages by keyset: every build exactly once, newest first", async () => {
    const seen: number[] = [];
    let before: number | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await listBuilds({
        app: await appRef("read-api"),
        stage: "prod",
        query: ZListBuildsQuery.parse({ limit: "7", ...(before ? { before: String(before) } : {}) }),
      });
      expect(page.builds.length).toBeLessThanOrEqual(7);
      seen.push(...page.builds.map((b) => b.number));
      if (page.nextBefore === null) break;
      expect(page.nextBefore).toBe(page.builds.at(-1)!.number);
      before = page.nextBefore;
    }
    expect(seen).toEqual(Array.from({ length: TOTAL }, (_, i) => TOTAL - i));
  });

  it("answers 25 builds by default, and an empty last page past build #1", async () => {
    const first = await listBuilds({ app: await appRef("read-api"), stage: "prod" });
    expect(first.builds.map((b) => b.number)).toEqual(Array.from({ length: 25 }, (_, i) => TOTAL - i));
    expect(first.nextBefore).toBe(TOTAL - 24);
    expect(first.builds[0]).toMatchObject({
      kind: "deploy",
      status: "success",
      commit: { sha: "0123456789abcdef", message: `commit ${TOTAL}` },
    });
    const tail = await listBuilds({ app: await appRef("read-api"), stage: "prod", query: ZListBuildsQuery.parse({ before: "3" }) });
    expect(tail).toMatchObject({ builds: [{ number: 2 }, { number: 1 }], nextBefore: null });
    expect(await listBuilds({ app: await appRef("read-api"), stage: "prod", query: ZListBuildsQuery.parse({ before: "1" }) })).toEqual({
      builds: [],
      nextBefore: null,
    });
  });

  it("stays one short index scan with 100,000 builds in the stage", async () => {
    const big = await db.stage.create({
      data: { appId: (await db.app.findUniqueOrThrow({ where: { name: "read-api" } })).id, name: "big", position: 2 },
    });
    // without the NOTIFY triggers: 100,000 notifications nobody listens to would be most of the cost
    await db.$transaction(
      [
        db.$executeRaw`SET LOCAL session_replication_role = replica`,
        db.$executeRaw`INSERT INTO builds (stage_id, number, kind, status, commit_sha, commit_message, triggered_by, target)
        SELECT ${big.id}, n, 'deploy', 'success', md5(n::text), 'commit ' || n, 'bench', '{}' FROM generate_series(1, 100000) n`,
      ],
      { timeout: 60_000 },
    ); // the history's filter indexes take their time on a busy machine
    await db.$executeRaw`ANALYZE builds`;
    await listBuilds({ app: await appRef("read-api"), stage: "big" }); // warm the connection and the plan
    for (const query of [{}, { before: "50000", limit: "100" }, { before: "26" }]) {
      const t0 = performance.now();
      const page = await listBuilds({ app: await appRef("read-api"), stage: "big", query: ZListBuildsQuery.parse(query) });
      expect(performance.now() - t0).toBeLessThan(250);
      expect(page.builds.length).toBeGreaterThan(0);
    }
    expect(
      (await listBuilds({ app: await appRef("read-api"), stage: "big", query: ZListBuildsQuery.parse({ before: "26" }) })).nextBefore,
    ).toBeNull();
  });
});

describe("one build", () => {
  it("has its steps in run order and the rollbacks that restored it", async () => {
    const { build } = await getBuild({ app: await appRef("read-api"), stage: "prod", number: 10 });
    expect(build.steps.map((s) => [s.service, s.phase, s.after])).toEqual([
      ["billing-api", 0, []],
      ["notify-job", 1, ["billing-api"]],
    ]);
    expect(build.rolledBackBy).toEqual([30, 45]);
    const rollback = (await getBuild({ app: await appRef("read-api"), stage: "prod", number: 45 })).build;
    expect(rollback).toMatchObject({ kind: "rollback", rollbackOf: 10, rolledBackBy: [] });
  });

  it("reads its log by seq, for one step, in pages", async () => {
    const all = await listLogLines({ app: await appRef("read-api"), stage: "prod", number: 10, query: ZLogQuery.parse({}) });
    expect(all.lines.map((l) => l.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(all.nextAfter).toBeNull();
    const first = await listLogLines({
      app: await appRef("read-api"),
      stage: "prod",
      number: 10,
      query: ZLogQuery.parse({ step: "billing-api", limit: "5" }),
    });
    expect(first.lines.map((l) => l.seq)).toEqual([1, 2, 4, 5, 7]);
    expect(first.nextAfter).toBe(7);
    const rest = await listLogLines({
      app: await appRef("read-api"),
      stage: "prod",
      number: 10,
      query: ZLogQuery.parse({ step: "billing-api", after: "7", limit: "5" }),
    });
    expect(rest).toMatchObject({ lines: [{ seq: 8, service: "billing-api", text: "line 8" }, { seq: 10 }, { seq: 11 }], nextAfter: null });
  });
});

describe("an app", () => {
  it("lists its stages in pipeline order and its services with the edges their live templates imply", async () => {
    const { app } = await getApp({ app: await appRef("read-api") });
    expect(app.stages.map((s) => s.name)).toEqual(["dev", "prod", "big"]);
    expect(app.stages.find((s) => s.name === "prod")!.latestBuild?.number).toBe(TOTAL);
    expect(app.services.map((s) => [s.name, s.liveIn])).toEqual([
      ["billing-api", "prod"],
      ["notify-job", "prod"],
      ["web", null],
    ]);
    // the templates are read as in the stage where they are live (prod), where ${stage} becomes "prod"
    expect(app.edges).toEqual([{ from: "billing-api", to: "notify-job", exports: ["ExtNotePurchasedTopicArn-prod"], dependsOn: false }]);
  });
});

describe("unknown names and bad parameters", () => {
  it("are 404s naming what is unknown", async () => {
    const err = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => (e instanceof AppError ? { code: e.code, message: e.message } : e),
      );
    const readApi = await appRef("read-api");
    expect(await err(appRef("nope").then((app) => listBuilds({ app, stage: "prod" })))).toEqual(notFound(/App "nope"/));
    expect(await err(listBuilds({ app: readApi, stage: "nope" }))).toEqual(notFound(/Stage "nope"/));
    expect(await err(getBuild({ app: readApi, stage: "prod", number: 99999 }))).toEqual(notFound(/Build #99999/));
    // a build number in a URL is parsed at the boundary: anything but a positive integer in PostgreSQL's range names no build
    expect(await err(Promise.resolve().then(() => parseBuildNumber("abc")))).toEqual(notFound(/Build "abc"/));
    expect(await err(Promise.resolve().then(() => parseBuildNumber("99999999999")))).toEqual(notFound(/99999999999/));
    expect(await err(listLogLines({ app: readApi, stage: "prod", number: 10, query: ZLogQuery.parse({ step: "web" }) }))).toEqual(
      notFound(/no step "web"/),
    );
  });

  // the routes want a caller with a role on the app: an instance-wide admin token (as SPROUT_BOOTSTRAP_TOKEN makes)
  const token = "read-api-test-token-0123456789";
  beforeAll(() => ensureBootstrapToken(token));
  const call = async (handler: (req: Request, ctx: never) => Promise<Response>, url: string, params: Record<string, string>) => {
    const res = await handler(new Request(`http://test${url}`, { headers: { authorization: `Bearer ${token}` } }), {
      params: Promise.resolve(params),
    } as never);
    return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
  };

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=ten", "limit"],
    ["limit=2.5", "limit"],
    ["before=0", "before"],
    ["before=-4", "before"],
    ["before=99999999999", "before"],
  ])("answers 400 naming the parameter for ?%s", async (qs, param) => {
    const { status, body } = await call(buildsRoute, `/api/apps/read-api/stages/prod/builds?${qs}`, { app: "read-api", stage: "prod" });
    expect(status).toBe(400);
    expect(body.error).toEqual({ code: "bad_request", message: expect.stringMatching(new RegExp(`^${param}: `)) });
  });

  it("answers the routes' 404 JSON, never a 500", async () => {
    expect(await call(buildsRoute, "/api/apps/nope/stages/prod/builds", { app: "nope", stage: "prod" })).toEqual({
      status: 404,
      body: { error: notFound(/App "nope"/) },
    });
    expect(await call(buildRoute, "/x", { app: "read-api", stage: "prod", number: "99999999999" })).toMatchObject({ status: 404 });
    expect(await call(buildRoute, "/x", { app: "read-api", stage: "prod", number: "0" })).toMatchObject({ status: 404 });
    expect(await call(logsRoute, "/x?after=-1", { app: "read-api", stage: "prod", number: "10" })).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/^after: /) } },
    });
    expect(await call(logsRoute, "/x?limit=5001", { app: "read-api", stage: "prod", number: "10" })).toMatchObject({ status: 400 });
  });
});
