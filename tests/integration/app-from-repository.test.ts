// A new app from its repository, through the real routes with an instance admin's token: real git
// repositories in temp folders; sprout.yml read from the default branch and shown (services, their
// graph, or its problems by file and line) before anything exists; then the app created with dev and
// prod on that branch, connected, its webhook secret answered once and working.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { ensureBootstrapToken } from "@/lib/server/auth/tokens";
import { POST as appsPost } from "@/app/api/apps/route";
import { GET as appGet } from "@/app/api/apps/[app]/route";
import { POST as previewPost } from "@/app/api/repositories/preview/route";
import { call, userWithRole } from "../support/auth";
import { createOrigin, tempDir } from "../support/git-repo";
import { waitForBuild, withWorker } from "../support/engine";
import { githubPush, INITIAL, postGithub } from "../support/source";

withWorker();

const ADMIN = "bootstrap-token-for-the-new-app-test-0123456789";

beforeAll(async () => {
  await ensureBootstrapToken(ADMIN);
});

const preview = (url: string, token = ADMIN) =>
  call(previewPost, "/api/repositories/preview", {}, { token, body: { repository: { url } } });
const create = (body: unknown, token = ADMIN) => call(appsPost, "/api/apps", {}, { token, body });

describe("a new app from its repository", () => {
  it("shows sprout.yml's services and their graph from the default branch before anything is created", async () => {
    const origin = await createOrigin(await tempDir("new-app"));
    const sha = await origin.commit(INITIAL, "Initial services", "trunk");
    await origin.gitBare(["symbolic-ref", "HEAD", "refs/heads/trunk"]);
    const apps = await db.app.count();
    const { status, body } = await preview(origin.bare);
    expect(status).toBe(200);
    expect(body.preview.repository).toEqual({
      url: origin.bare,
      defaultBranch: "trunk",
      commit: { sha, message: "Initial services", author: "Ada Lovelace <ada@example.com>" },
    });
    expect(body.preview.problems).toEqual([]);
    expect(
      body.preview.services.map((s: { name: string; path: string; build: string | null; dependsOn: string[]; imports: string[] }) => [
        s.name,
        s.path,
        s.build,
        s.dependsOn,
        s.imports,
      ]),
    ).toEqual([
      ["producer", "services/producer", "./build.sh", [], []],
      ["consumer", "services/consumer", null, ["producer"], ["Topic-dev"]],
    ]);
    expect(body.preview.edges).toEqual([{ from: "producer", to: "consumer", exports: [], dependsOn: true }]);
    expect(await db.app.count()).toBe(apps);
  });

  it("shows sprout.yml's problems by file and line, and creates no app from it", async () => {
    const origin = await createOrigin(await tempDir("new-app-bad"));
    await origin.commit(
      {
        "sprout.yml":
          "services:\n  api:\n    path: services/api\n    template: t.json\n    dependsOn: [db]\n  web:\n    path: web\n    template: t.json\n    dependsOn: [web]\n",
      },
      "Broken",
    );
    const { body } = await preview(origin.url);
    expect(body.preview.services).toBeNull();
    expect(body.preview.problems).toEqual([
      {
        file: "sprout.yml",
        line: 5,
        field: "services.api.dependsOn[0]",
        message: 'names no service of this file: "db" (services: api, web)',
      },
      { file: "sprout.yml", line: 9, field: "services.web.dependsOn[0]", message: 'a service cannot depend on itself: remove "web"' },
    ]);
    const refused = await create({ name: "broken", repository: { url: origin.url } });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toMatch(
      /^sprout.yml has problems; fix them and try again:\nsprout.yml line 5: services.api.dependsOn\[0\]: names no service/,
    );
    expect(await db.app.count({ where: { name: "broken" } })).toBe(0);

    const empty = await createOrigin(await tempDir("new-app-none"));
    const first = await empty.commit({ "README.md": "no sprout.yml" }, "Readme");
    expect((await preview(empty.url)).body.preview.problems).toEqual([
      {
        file: "sprout.yml",
        line: null,
        field: null,
        message: `is missing at the root of main (${first.slice(0, 7)}): add one that lists the services (path, template, build).`,
      },
    ]);
    expect((await preview("/nowhere/at/all.git")).body.error?.message).toMatch(
      /^repository\.url: Sprout could not read \/nowhere\/at\/all\.git: /,
    );
  });

  it("POST /api/apps with a repository creates dev and prod on its default branch, connected; the secret is answered once and works", async () => {
    const origin = await createOrigin(await tempDir("new-app-ok"));
    const sha = await origin.commit(INITIAL, "Initial services");
    const { status, body } = await create({ name: "from-repo", repository: { url: origin.url } });
    expect(status).toBe(201);
    expect(body.app.stages.map((s: { name: string; branch: string; autoDeploy: boolean }) => [s.name, s.branch, s.autoDeploy])).toEqual([
      ["dev", "main", true],
      ["prod", "main", false],
    ]);
    expect(body.repository).toEqual({
      url: origin.bare,
      defaultBranch: "main",
      webhooks: { github: "/api/webhooks/github/from-repo", gitlab: "/api/webhooks/gitlab/from-repo" },
    });
    expect(body.services).toEqual(["producer", "consumer"]);
    expect(body.webhookSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const detail = await call(appGet, "/api/apps/from-repo", { app: "from-repo" }, { token: ADMIN });
    expect(detail.body.app.services.map((s: { name: string }) => s.name)).toEqual(["consumer", "producer"]);
    expect(JSON.stringify(detail.body)).not.toContain(body.webhookSecret);

    const app = { name: "from-repo", origin, secret: body.webhookSecret as string, first: sha };
    expect((await postGithub(app, githubPush(sha))).body).toEqual({ builds: [{ stage: "dev", number: 1, status: "queued" }] });
    expect((await waitForBuild("from-repo", "dev", 1)).status).toBe("success");

    expect((await create({ name: "from-repo", repository: { url: origin.url } })).body.error?.message).toBe(
      'An app named "from-repo" already exists.',
    );
    expect((await create({ name: "both", repository: { url: origin.url }, stages: [{ name: "dev" }] })).body.error?.message).toBe(
      "stages: give either repository (Sprout makes dev and prod) or stages, not both",
    );
  });

  it("needs an instance admin", async () => {
    await userWithRole("someone@example.com", null, null);
    const origin = await createOrigin(await tempDir("new-app-forbidden"));
    await origin.commit(INITIAL, "Initial services");
    const { signIn } = await import("../support/auth");
    const { cookie } = await signIn("someone@example.com");
    const res = await call(previewPost, "/api/repositories/preview", {}, { cookie, body: { repository: { url: origin.url } } });
    expect([res.status, res.body.error?.message]).toEqual([403, "Creating an app needs an instance admin."]);
  });
});
