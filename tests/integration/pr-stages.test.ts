// Pull-request stages on the sandbox, end to end: real git (the PR's head pushed to refs/pull/N/head),
// signed GitHub pull_request and GitLab Merge Request Hook deliveries posted to the real routes,
// the in-process worker building, then removing the stage's stacks consumers first and archiving it.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { getApp } from "@/lib/server/data/get-app";
import { setVariable } from "@/lib/server/operations/stage-variables";
import { createToken } from "@/lib/server/operations/tokens";
import { ZTokenCreate } from "@/lib/core/validation";
import { PATCH as appPatch } from "@/app/api/apps/[app]/route";
import { POST as buildsPost } from "@/app/api/apps/[app]/stages/[stage]/builds/route";
import { POST as deployPost } from "@/app/api/apps/[app]/stages/[stage]/deploy/route";
import { rollback } from "@/lib/server/operations/rollback";
import { call } from "../support/auth";
import { commit } from "../support/fixtures";
import { appRef, TEST_ACTOR } from "../support/context";
import { runOrder, stackNames, waitForBuild, withWorker } from "../support/engine";
import { githubPush, postGithub, postGitlab, sourceApp, template, type TSourceApp } from "../support/source";
import { githubPullRequest, gitlabMergeRequest, pushPullRequest } from "../support/pull-requests";

withWorker();

let app: TSourceApp;
let admin = "";
const stageOf = (name: string) => db.stage.findFirstOrThrow({ where: { name, app: { name: "prs" } }, include: { variables: true } });
const patch = (body: unknown) => call(appPatch, "/api/apps/prs", { app: "prs" }, { method: "PATCH", token: admin, body });
const steps = (b: { steps: { key: string; action: string; status: string }[] }) => b.steps.map((s) => [s.key, s.action, s.status]);

beforeAll(async () => {
  app = await sourceApp("prs");
  const ref = await appRef("prs");
  admin = (await createToken({ app: ref, input: ZTokenCreate.parse({ name: "admin", role: "admin" }), actor: TEST_ACTOR })).value;
  await setVariable({ app: ref, stage: "dev", name: "API_TOKEN", input: { value: "tok-of-dev-1234", secret: true }, actor: TEST_ACTOR });
});

describe("PR stages", () => {
  it("are off until an app admin turns them on; the template stage must exist", async () => {
    const head = { ref: "feature", sha: app.first };
    expect((await postGithub(app, githubPullRequest("opened", 3, head), { event: "pull_request" })).body).toEqual({
      ignored: "pull request #3: prs has no PR stages (turn them on in the app's settings: prStages.enabled)",
    });
    const bad = await patch({ prStages: { enabled: true, templateStage: "staging" } });
    expect([bad.status, bad.body.error?.message]).toEqual([
      400,
      "prStages.templateStage: prs has no stage staging to copy PR stages from; pick one of dev, prod.",
    ]);
    const ok = await patch({ prStages: { enabled: true } });
    expect(ok.body).toEqual({ app: { name: "prs", prStages: { enabled: true, templateStage: "dev", limit: 20 } } });
  });

  it("opened creates pr-7 from dev and builds the head; synchronize rebuilds; closed removes its stacks consumers first and archives it", async () => {
    const sha = await pushPullRequest(
      app,
      7,
      "feature",
      { "services/producer/template.src.json": template({ exports: true, version: "pr" }) },
      "Feature",
    );
    const opened = await postGithub(app, githubPullRequest("opened", 7, { ref: "feature", sha }, { title: "Add the feature" }), {
      event: "pull_request",
    });
    expect(opened).toEqual({
      status: 202,
      body: { stage: { name: "pr-7", created: true }, builds: [{ stage: "pr-7", number: 1, status: "queued" }] },
    });
    const first = await waitForBuild("prs", "pr-7", 1);
    expect(first.status, first.error ?? "").toBe("success");
    expect([first.commitSha, first.commitBranch, first.trigger, first.triggeredBy]).toEqual([sha, "feature", "push", "pull_request:#7"]);
    const stage = await stageOf("pr-7");
    expect([stage.prNumber, stage.prTitle, stage.branch, stage.autoDeploy, stage.driver, stage.archived]).toEqual([
      7,
      "Add the feature",
      "feature",
      false,
      "sandbox",
      false,
    ]);
    expect(stage.variables.map((v) => [v.name, v.secret])).toEqual([["API_TOKEN", true]]);
    expect(await stackNames(stage.id)).toEqual(["consumer-pr-7", "producer-pr-7"]);

    // a push to the PR's branch builds no stage: pr-7 does not deploy on push, the pull request's events build it
    expect((await postGithub(app, githubPush(sha, "feature"))).body).toEqual({ ignored: "no stage of prs deploys branch feature on push" });

    const next = await pushPullRequest(
      app,
      7,
      "feature",
      { "services/consumer/template.json": template({ imports: true, version: "pr-2" }) },
      "Feature, part 2",
    );
    const sync = await postGithub(app, githubPullRequest("synchronize", 7, { ref: "feature", sha: next }, { title: "Add the feature" }), {
      event: "pull_request",
    });
    expect(sync.body).toEqual({ stage: { name: "pr-7", created: false }, builds: [{ stage: "pr-7", number: 2, status: "queued" }] });
    const second = await waitForBuild("prs", "pr-7", 2);
    expect(second.status, second.error ?? "").toBe("success");
    expect(steps(second)).toEqual([
      ["checkout", "checkout", "success"],
      ["package:consumer", "package", "success"],
      ["producer", "unchanged", "unchanged"],
      ["consumer", "update", "success"],
    ]);

    const closed = await postGithub(app, githubPullRequest("closed", 7, { ref: "feature", sha: next }, { merged: true }), {
      event: "pull_request",
    });
    expect(closed.body).toEqual({ builds: [{ stage: "pr-7", number: 3, status: "queued" }] });
    const removed = await waitForBuild("prs", "pr-7", 3);
    expect(removed.status, removed.error ?? "").toBe("success");
    expect([removed.kind, removed.commitMessage]).toEqual(["remove", "Pull request #7 merged: its stacks are removed"]);
    expect(steps(removed)).toEqual([
      ["consumer", "remove", "success"],
      ["producer", "remove", "success"],
    ]);
    expect(runOrder(removed.steps)).toEqual(["consumer", "producer"]);
    expect(removed.steps.find((s) => s.key === "producer")!.after).toEqual(["consumer"]);
    expect(await stackNames(stage.id)).toEqual([]);
    expect(await db.liveState.count({ where: { stageId: stage.id } })).toBe(0);

    const after = await stageOf("pr-7");
    expect(after.archived).toBe(true);
    const { app: detail } = await getApp({ app: await appRef("prs") });
    expect(detail.stages.map((s) => s.name)).toEqual(["dev", "prod"]);
    expect(detail.archivedStages).toMatchObject([
      { name: "pr-7", pullRequest: { number: 7, title: "Add the feature" }, latestBuild: { number: 3, kind: "remove" } },
    ]);
    expect(await db.build.count({ where: { stageId: stage.id } })).toBe(3); // its history is kept
    const audit = await db.auditEvent.findMany({ where: { app: { name: "prs" }, target: "pr-7" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["stage.create", "stage.archive"]);

    // closed again: nothing to do
    expect((await postGithub(app, githubPullRequest("closed", 7, { ref: "feature", sha: next }), { event: "pull_request" })).body).toEqual({
      ignored: "pull request #7 closed: stage pr-7 is archived already",
    });
  });

  it("a new pull request past the limit gets a clear reason and no stage; GitLab merge requests do the same as GitHub's", async () => {
    expect((await patch({ prStages: { limit: 1 } })).status).toBe(200);
    const sha = await pushPullRequest(
      app,
      8,
      "mr-8",
      { "services/consumer/template.json": template({ imports: true, version: "mr" }) },
      "MR 8",
      "gitlab",
    );
    const open = await postGitlab(app, gitlabMergeRequest("open", 8, { ref: "mr-8", sha }, { title: "Merge request eight" }), {
      event: "Merge Request Hook",
    });
    expect(open.body).toEqual({ stage: { name: "pr-8", created: true }, builds: [{ stage: "pr-8", number: 1, status: "queued" }] });
    const built = await waitForBuild("prs", "pr-8", 1);
    expect(built.status, built.error ?? "").toBe("success");

    const refused = await postGithub(app, githubPullRequest("opened", 9, { ref: "other", sha }), { event: "pull_request" });
    expect(refused).toEqual({
      status: 409,
      body: {
        error: {
          code: "conflict",
          message:
            "No stage for pull request #9: prs has 1 open PR stages, its limit (prStages.limit = 1). Close a pull request or raise the limit in the app's settings, then push to #9 again.",
        },
      },
    });
    expect(await db.stage.count({ where: { name: "pr-9" } })).toBe(0);

    // a title-only update is not a new commit: nothing is built
    expect((await postGitlab(app, gitlabMergeRequest("update", 8, { ref: "mr-8", sha }), { event: "Merge Request Hook" })).body).toEqual({
      ignored: "merge request updated without new commits",
    });
    // new commits (oldrev): built again
    const update = await postGitlab(app, gitlabMergeRequest("update", 8, { ref: "mr-8", sha }, { oldrev: app.first }), {
      event: "Merge Request Hook",
    });
    expect(update.body).toEqual({ stage: { name: "pr-8", created: false }, builds: [{ stage: "pr-8", number: 2, status: "queued" }] });
    expect((await waitForBuild("prs", "pr-8", 2)).status).toBe("success");
    const merged = await postGitlab(app, gitlabMergeRequest("merge", 8, { ref: "mr-8", sha }), { event: "Merge Request Hook" });
    expect(merged.body).toEqual({ builds: [{ stage: "pr-8", number: 3, status: "queued" }] });
    expect((await waitForBuild("prs", "pr-8", 3)).status).toBe("success");
    expect((await stageOf("pr-8")).archived).toBe(true);

    // with pr-8 archived there is room again
    await app.origin.git(["push", "--quiet", "origin", `${sha}:refs/pull/9/head`]);
    const now = await postGithub(app, githubPullRequest("opened", 9, { ref: "other", sha }), { event: "pull_request" });
    expect(now.status).toBe(202);
    expect((await waitForBuild("prs", "pr-9", 1)).status).toBe("success");

    // room for one more: two pull requests opened at the same moment get one stage, not two
    expect((await patch({ prStages: { limit: 2 } })).status).toBe(200);
    for (const n of [10, 11]) await app.origin.git(["push", "--quiet", "origin", `${sha}:refs/pull/${n}/head`]);
    const both = await Promise.all(
      [10, 11].map((n) => postGithub(app, githubPullRequest("opened", n, { ref: `b-${n}`, sha }), { event: "pull_request" })),
    );
    expect(both.map((r) => r.status).sort()).toEqual([202, 409]);
    expect(await db.stage.count({ where: { app: { name: "prs" }, name: { in: ["pr-10", "pr-11"] } } })).toBe(1);
    const winner = both.find((r) => r.status === 202)!.body.stage.name as string;
    expect((await waitForBuild("prs", winner, 1)).status).toBe("success");
  });

  it("an archived stage refuses builds with the reason; reopening its pull request takes it out of the archive with its settings and builds it", async () => {
    const archived = await stageOf("pr-7");
    expect(archived.archived).toBe(true);
    const reason =
      "Stage pr-7 is archived (its stacks were removed when its pull request closed); reopen the pull request to build it again.";
    const params = { app: "prs", stage: "pr-7" };
    const manifest = await call(buildsPost, "/api/apps/prs/stages/pr-7/builds", params, {
      token: admin,
      body: { commit: commit("by hand"), services: [{ name: "producer", template: JSON.parse(template({ exports: true })) }] },
    });
    const source = await call(deployPost, "/api/apps/prs/stages/pr-7/deploy", params, { token: admin, body: { ref: "feature" } });
    for (const r of [manifest, source]) expect([r.status, r.body.error?.message]).toEqual([409, reason]);
    await expect(rollback({ app: await appRef("prs"), stage: "pr-7", number: 2, actor: TEST_ACTOR })).rejects.toThrow(reason);
    expect(await db.build.count({ where: { stageId: archived.id } })).toBe(3);

    // settings changed on the template since are not copied again: the stage comes back as it was
    await setVariable({ app: await appRef("prs"), stage: "dev", name: "ADDED_LATER", input: { value: "x" }, actor: TEST_ACTOR });
    expect((await patch({ prStages: { limit: 5 } })).status).toBe(200);
    const head = (await db.build.findFirstOrThrow({ where: { stageId: archived.id, number: 2 } })).commitSha!;
    const reopened = await postGithub(
      app,
      githubPullRequest("reopened", 7, { ref: "feature", sha: head }, { title: "Add the feature again" }),
      {
        event: "pull_request",
      },
    );
    expect(reopened.body).toEqual({ stage: { name: "pr-7", created: false }, builds: [{ stage: "pr-7", number: 4, status: "queued" }] });
    const built = await waitForBuild("prs", "pr-7", 4);
    expect(built.status, built.error ?? "").toBe("success");
    expect(built.commitSha).toBe(head);
    const back = await stageOf("pr-7");
    expect([back.id, back.archived, back.archivedAt, back.prTitle]).toEqual([archived.id, false, null, "Add the feature again"]);
    expect(back.variables.map((v) => v.name)).toEqual(["API_TOKEN"]);
    expect(await stackNames(back.id)).toEqual(["consumer-pr-7", "producer-pr-7"]);
    const { app: detail } = await getApp({ app: await appRef("prs") });
    expect(detail.stages.map((s) => s.name)).toContain("pr-7");
    expect(detail.archivedStages.map((s) => s.name)).not.toContain("pr-7");
    const audit = await db.auditEvent.findMany({ where: { app: { name: "prs" }, target: "pr-7" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.detail])).toEqual([
      ["stage.create", expect.anything()],
      ["stage.archive", null],
      ["stage.update", { archived: { from: true, to: false } }],
    ]);
  });

  it("turned off, PR stages are still removed when their pull request closes; other events are ignored", async () => {
    expect((await patch({ prStages: { enabled: false } })).status).toBe(200);
    const stage = await stageOf("pr-7");
    expect([stage.archived, (await stackNames(stage.id)).length]).toEqual([false, 2]);
    const head = { ref: "feature", sha: (await db.build.findFirstOrThrow({ where: { stageId: stage.id, number: 4 } })).commitSha! };
    expect((await postGithub(app, githubPullRequest("synchronize", 7, head), { event: "pull_request" })).body).toEqual({
      ignored: "pull request #7: prs has no PR stages (turn them on in the app's settings: prStages.enabled)",
    });
    expect((await postGithub(app, githubPullRequest("closed", 12, head), { event: "pull_request" })).body).toEqual({
      ignored: "pull request #12: prs has no PR stages (turn them on in the app's settings: prStages.enabled)",
    });

    const closed = await postGithub(app, githubPullRequest("closed", 7, head), { event: "pull_request" });
    expect(closed.body).toEqual({ builds: [{ stage: "pr-7", number: 5, status: "queued" }] });
    const removed = await waitForBuild("prs", "pr-7", 5);
    expect([removed.status, removed.kind]).toEqual(["success", "remove"]);
    expect(runOrder(removed.steps)).toEqual(["consumer", "producer"]);
    expect(await stackNames(stage.id)).toEqual([]);
    expect((await stageOf("pr-7")).archived).toBe(true);
    // and reopening it while they are off makes nothing
    expect((await postGithub(app, githubPullRequest("reopened", 7, head), { event: "pull_request" })).body).toEqual({
      ignored: "pull request #7: prs has no PR stages (turn them on in the app's settings: prStages.enabled)",
    });
    expect((await stageOf("pr-7")).archived).toBe(true);
  });
});
