// Builds from git, end to end: real bare repositories, webhook deliveries signed as GitHub and
// GitLab sign them, the worker checking commits out, running build commands and deploying to the
// sandbox.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { deploySource } from "@/lib/server/operations/deploy-source";
import { getBuild } from "@/lib/server/data/get-build";
import { listLogLines } from "@/lib/server/data/list-log-lines";
import { ZLogQuery } from "@/lib/server/data/list-log-lines";
import { ZSourceDeploy } from "@/lib/core/validation";
import { appRef, TEST_ACTOR } from "../support/context";
import { stackNames, waitForBuild, withWorker } from "../support/engine";
import { githubPush, INITIAL, postGithub, postGitlab, sourceApp, template } from "../support/source";

const INITIAL_BUILD = (INITIAL["services/producer/build.sh"] as { text: string }).text;

withWorker();

const steps = (b: { steps: { key: string; action: string; status: string }[] }) => b.steps.map((s) => [s.key, s.action, s.status]);

async function logOf(app: string, stage: string, number: number, step: string) {
  const page = await listLogLines({ app: await appRef(app), stage, number, query: ZLogQuery.parse({ step }) });
  return page.lines.map((l) => l.text).join("\n");
}

describe("builds from git pushes", () => {
  it("a signed push to main builds dev: checkout, the build command, then the deploy, producers first", async () => {
    const app = await sourceApp("src-push");
    const res = await postGithub(app, githubPush(app.first, "main", "Initial services"));
    expect(res).toEqual({ status: 202, body: { builds: [{ stage: "dev", number: 1, status: "queued" }] } });
    const done = await waitForBuild("src-push", "dev", 1);
    expect(done.status, done.error ?? "").toBe("success");
    expect(steps(done)).toEqual([
      ["checkout", "checkout", "success"],
      ["package:producer", "package", "success"],
      ["package:consumer", "package", "success"],
      ["producer", "create", "success"],
      ["consumer", "create", "success"],
    ]);
    expect(done.steps.find((s) => s.key === "consumer")!.after).toEqual(["package:consumer", "producer"]);
    expect([done.commitSha, done.commitMessage, done.commitAuthor, done.trigger]).toEqual([
      app.first,
      "Initial services",
      "Ada Lovelace <ada@example.com>",
      "push",
    ]);
    expect(await logOf("src-push", "dev", 1, "package:producer")).toContain(`packaging producer for dev at ${app.first} (#1)`);
    expect(await logOf("src-push", "dev", 1, "checkout")).toMatch(/producer: rebuilt \(not live in this stage\)/);
    const stage = await db.stage.findFirstOrThrow({ where: { name: "dev", app: { name: "src-push" } } });
    expect(await stackNames(stage.id)).toEqual(["consumer-dev", "producer-dev"]);
    // prod tracks main too, but does not deploy on push
    expect(await db.build.count({ where: { stage: { name: "prod", app: { name: "src-push" } } } })).toBe(0);
  });

  it("only the services whose files changed are rebuilt; the others keep their live artifact", async () => {
    const app = await sourceApp("src-incremental");
    await postGithub(app, githubPush(app.first));
    const first = await waitForBuild("src-incremental", "dev", 1);
    const next = await app.origin.commit({ "services/consumer/template.json": template({ imports: true, version: "v2" }) }, "consumer v2");
    expect((await postGithub(app, githubPush(next))).status).toBe(202);
    const done = await waitForBuild("src-incremental", "dev", 2);
    expect(done.status, done.error ?? "").toBe("success");
    expect(steps(done)).toEqual([
      ["checkout", "checkout", "success"],
      ["package:consumer", "package", "success"],
      ["producer", "unchanged", "unchanged"],
      ["consumer", "update", "success"],
    ]);
    expect(done.steps.find((s) => s.key === "producer")!.artifactDigest).toBe(
      first.steps.find((s) => s.key === "producer")!.artifactDigest,
    );
    expect(await logOf("src-incremental", "dev", 2, "checkout")).toContain(`producer: unchanged since ${app.first.slice(0, 7)}`);
  });

  it("a service rebuilt to the same artifact counts as built at that commit: the next push does not rebuild it again", async () => {
    const app = await sourceApp("src-same-artifact");
    await postGithub(app, githubPush(app.first));
    await waitForBuild("src-same-artifact", "dev", 1);
    // a change to the producer's build script that leaves its template as it was: packaged, not deployed
    const second = await app.origin.commit(
      { "services/producer/build.sh": { text: `${INITIAL_BUILD}\n# a comment\n`, mode: 0o755 } },
      "producer: comment",
    );
    await postGithub(app, githubPush(second));
    const two = await waitForBuild("src-same-artifact", "dev", 2);
    expect(steps(two)).toEqual([
      ["checkout", "checkout", "success"],
      ["package:producer", "package", "success"],
      ["producer", "unchanged", "unchanged"],
      ["consumer", "unchanged", "unchanged"],
    ]);
    // the consumer changes next: the producer's live artifact is the one #2 built at its commit
    const third = await app.origin.commit({ "services/consumer/template.json": template({ imports: true, version: "v3" }) }, "consumer v3");
    await postGithub(app, githubPush(third));
    const three = await waitForBuild("src-same-artifact", "dev", 3);
    expect(steps(three)).toEqual([
      ["checkout", "checkout", "success"],
      ["package:consumer", "package", "success"],
      ["producer", "unchanged", "unchanged"],
      ["consumer", "update", "success"],
    ]);
    expect(await logOf("src-same-artifact", "dev", 3, "checkout")).toContain(`producer: unchanged since ${second.slice(0, 7)}`);
  });

  it("refuses forged and missing signatures (401) and replayed deliveries, and says why it ignores other branches and events", async () => {
    const app = await sourceApp("src-webhooks");
    const push = githubPush(app.first);
    expect(await postGithub(app, push, { signature: null })).toMatchObject({ status: 401 });
    expect(await postGithub(app, push, { secret: "not-the-secret" })).toMatchObject({ status: 401 });
    expect(await postGitlab(app, { object_kind: "push" }, { token: "guess" })).toMatchObject({ status: 401 });
    expect(await db.build.count({ where: { stage: { app: { name: "src-webhooks" } } } })).toBe(0);

    expect(await postGithub(app, { zen: "Keep it logically awesome." }, { event: "ping" })).toEqual({ status: 200, body: { ok: true } });
    expect((await postGithub(app, githubPush(app.first, "feature"))).body).toEqual({
      ignored: "no stage of src-webhooks deploys branch feature on push",
    });
    expect((await postGithub(app, { action: "created" }, { event: "issues" })).status).toBe(202);

    const once = await postGithub(app, push, { delivery: "delivery-1" });
    const again = await postGithub(app, push, { delivery: "delivery-1" });
    expect(once.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toMatch(/delivery-1 was received before; nothing new was queued/);
    expect(await db.build.count({ where: { stage: { app: { name: "src-webhooks" } } } })).toBe(1);
    await waitForBuild("src-webhooks", "dev", 1);
  });

  it("GitLab's Push Hook with its token builds the same way", async () => {
    const app = await sourceApp("src-gitlab");
    const res = await postGitlab(app, {
      object_kind: "push",
      ref: "refs/heads/main",
      before: "0".repeat(40),
      after: app.first,
      checkout_sha: app.first,
      commits: [{ id: app.first, message: "Initial services", author: { name: "Ada Lovelace", email: "ada@example.com" } }],
      project: { path_with_namespace: "acme/notes" },
    });
    expect(res).toEqual({ status: 202, body: { builds: [{ stage: "dev", number: 1, status: "queued" }] } });
    expect((await waitForBuild("src-gitlab", "dev", 1)).status).toBe("success");
  });

  it("deploys a chosen ref on demand (prod, by sha, forced), and a bad sprout.yml fails the checkout with its line", async () => {
    const app = await sourceApp("src-manual");
    const ref = await appRef("src-manual");
    const queued = await deploySource({ app: ref, stage: "prod", input: ZSourceDeploy.parse({ ref: app.first }), actor: TEST_ACTOR });
    expect([queued.trigger, queued.source]).toEqual(["api", { ref: app.first, services: null, force: false }]);
    expect((await waitForBuild("src-manual", "prod", queued.number)).status).toBe("success");
    // once built, the build's JSON still says what was asked, not the worker's own state (sprout.yml, its decision)
    const read = await getBuild({ app: ref, stage: "prod", number: queued.number });
    expect(read.build.source).toEqual({ ref: app.first, services: null, force: false });

    const forced = await deploySource({
      app: ref,
      stage: "prod",
      input: ZSourceDeploy.parse({ services: ["consumer"], force: true }),
      actor: TEST_ACTOR,
    });
    const done = await waitForBuild("src-manual", "prod", forced.number);
    expect(steps(done)).toEqual([
      ["checkout", "checkout", "success"],
      ["package:consumer", "package", "success"],
      ["consumer", "unchanged", "unchanged"],
    ]);

    await app.origin.commit({ "sprout.yml": "services:\n  producer:\n    path: services/producer\n    template: [oops\n" }, "broken");
    const broken = await deploySource({ app: ref, stage: "prod", input: ZSourceDeploy.parse({}), actor: TEST_ACTOR });
    const failed = await waitForBuild("src-manual", "prod", broken.number);
    expect(failed.status).toBe("failed");
    expect(steps(failed)).toEqual([["checkout", "checkout", "failed"]]);
    expect(failed.steps[0]!.error).toMatch(/^sprout\.yml line \d+/);
    // a ref is never an option to git
    expect(() => ZSourceDeploy.parse({ ref: "--upload-pack=evil" })).toThrow(/must be a branch name or a commit sha/);
  });
});
