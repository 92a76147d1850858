// Access control through the real route handlers and better-auth's sign-in, on a real PostgreSQL:
// who may roll back, what the build and the audit record of them, tokens that stop working at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { ensureBootstrapToken } from "@/lib/server/auth/tokens";
import { resetPassword, setupFirstAdmin } from "@/lib/server/auth/users";
import { POST as authPost } from "@/app/api/auth/[...all]/route";
import { createToken, revokeToken } from "@/lib/server/operations/tokens";
import { startWorker, type TWorker } from "@/lib/worker/start-worker";
import { GET as appsGet, POST as appsPost } from "@/app/api/apps/route";
import { GET as buildsGet, POST as deployPost } from "@/app/api/apps/[app]/stages/[stage]/builds/route";
import { POST as rollbackPost } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/rollback/route";
import { GET as auditGet } from "@/app/api/apps/[app]/audit/route";
import { POST as membersPost } from "@/app/api/apps/[app]/members/route";
import { PATCH as stagePatch } from "@/app/api/apps/[app]/stages/[stage]/route";
import { service } from "../support/fixtures";
import { createStage, deployAndWait } from "../support/engine";
import { call, signIn, userWithRole } from "../support/auth";
import { appRef, TEST_ACTOR } from "../support/context";

import { ZTokenCreate } from "@/lib/core/validation";

const ADMIN_ACTOR = { ...TEST_ACTOR, label: "user:admin@example.com" };

const APP = "authz";
const rollbackUrl = (n: number) => `/api/apps/${APP}/stages/prod/builds/${n}/rollback`;
const rollbackParams = (n: number) => ({ app: APP, stage: "prod", number: String(n) });
const BOOTSTRAP = "bootstrap-token-for-the-authz-test-0123456789";

let worker: TWorker;
let viewer = "";
let deployer = "";
beforeAll(async () => {
  worker = await startWorker({ quiet: true, leaseMs: 3000 });
  await createStage(APP);
  await createStage("elsewhere");
  // #1 and #2 succeed: #1 is then a rollback target
  for (const version of [1, 2]) {
    const b = await deployAndWait(APP, "prod", [{ name: "api", template: service({ version, seconds: 0.05 }) }], `v${version}`);
    expect(b.status).toBe("success");
  }
  await userWithRole("viewer@example.com", APP, "viewer");
  await userWithRole("deployer@example.com", APP, "deployer");
  viewer = (await signIn("viewer@example.com")).cookie;
  deployer = (await signIn("deployer@example.com")).cookie;
  expect(viewer).toMatch(/session_token=/);
});
afterAll(async () => {
  await worker.stop();
});

describe("who may roll back", () => {
  it("answers 401 with how to authenticate when the request carries neither cookie nor token", async () => {
    for (const res of [
      await call(rollbackPost, rollbackUrl(1), rollbackParams(1), { method: "POST" }),
      await call(buildsGet, "/x", { app: APP, stage: "prod" }),
    ]) {
      expect(res).toEqual({
        status: 401,
        body: { error: { code: "unauthorized", message: "Sign in or send an API token: Authorization: Bearer <token>." } },
      });
    }
    expect((await call(appsGet, "/api/apps", {})).status).toBe(401);
  });

  it("refuses a viewer's rollback (403, naming the roles) but lets them read", async () => {
    const res = await call(rollbackPost, rollbackUrl(1), rollbackParams(1), { method: "POST", cookie: viewer });
    expect(res).toEqual({
      status: 403,
      body: { error: { code: "forbidden", message: `Your role on ${APP} is viewer; rolling back needs deployer.` } },
    });
    expect(await db.build.count({ where: { kind: "rollback" } })).toBe(0);
    const history = await call(buildsGet, "/x", { app: APP, stage: "prod" }, { cookie: viewer });
    expect(history.status).toBe(200);
    expect(history.body.builds.map((b: { number: number }) => b.number)).toEqual([2, 1]);
    // and sees only the apps they have a role on
    expect((await call(appsGet, "/api/apps", {}, { cookie: viewer })).body.apps.map((a: { name: string }) => a.name)).toEqual([APP]);
    // no role at all: the same 404 as an app that does not exist, so app names cannot be probed
    const other = await call(buildsGet, "/x", { app: "elsewhere", stage: "prod" }, { cookie: viewer });
    const missing = await call(buildsGet, "/x", { app: "no-such-app", stage: "prod" }, { cookie: viewer });
    expect(other).toEqual({ status: 404, body: { error: { code: "not_found", message: 'App "elsewhere" not found.' } } });
    expect(missing).toEqual({ status: 404, body: { error: { code: "not_found", message: 'App "no-such-app" not found.' } } });
  });

  it("queues a deployer's rollback as theirs: the build and the audit name the user", async () => {
    const res = await call(rollbackPost, rollbackUrl(1), rollbackParams(1), { method: "POST", cookie: deployer });
    expect(res.status).toBe(201);
    expect(res.body.build).toMatchObject({ number: 3, kind: "rollback", rollbackOf: 1, triggeredBy: "user:deployer@example.com" });
    const row = await db.build.findFirstOrThrow({ where: { number: 3, stage: { app: { name: APP } } } });
    expect(row.triggeredBy).toBe("user:deployer@example.com");

    const audit = await call(auditGet, `/api/apps/${APP}/audit`, { app: APP }, { cookie: viewer });
    expect(audit.status).toBe(200);
    expect(audit.body.events[0]).toMatchObject({
      actor: "user:deployer@example.com",
      action: "rollback",
      target: "prod #3",
      detail: { rollbackOf: 1 },
    });
    expect(audit.body.events.slice(1).map((e: { action: string; target: string }) => `${e.action} ${e.target}`)).toEqual([
      "deploy prod #2",
      "deploy prod #1",
    ]);
  });

  it("refuses a browser's cross-origin change even with a valid session", async () => {
    const res = await call(rollbackPost, rollbackUrl(1), rollbackParams(1), {
      method: "POST",
      cookie: deployer,
      headers: { origin: "https://evil.example", host: "localhost" },
    });
    expect(res).toMatchObject({
      status: 403,
      body: { error: { code: "forbidden", message: expect.stringMatching(/^Cross-origin request refused/) } },
    });
  });
});

describe("API tokens", () => {
  it("acts with its role on its app only, and fails at once when revoked", async () => {
    const { token, value } = await createToken({
      app: await appRef(APP),
      input: ZTokenCreate.parse({ name: "ci-deploy", role: "deployer" }),
      actor: ADMIN_ACTOR,
    });
    expect(value).toMatch(/^sprout_[A-Za-z0-9_-]{43}$/);
    expect(await db.apiToken.findUniqueOrThrow({ where: { id: token.id } })).toMatchObject({ prefix: value.slice(0, 11) });
    expect(await db.apiToken.count({ where: { hash: value } })).toBe(0); // stored hashed

    const manifest = {
      commit: { sha: "abcdef1", message: "from CI" },
      services: [{ name: "api", template: service({ version: 3, seconds: 0.05 }) }],
    };
    const deployed = await call(deployPost, "/x", { app: APP, stage: "prod" }, { token: value, body: manifest });
    expect(deployed.status).toBe(201);
    expect(deployed.body.build.triggeredBy).toBe("token:ci-deploy");
    expect((await call(buildsGet, "/x", { app: "elsewhere", stage: "prod" }, { token: value })).status).toBe(404);
    expect(
      (await call(stagePatch, "/x", { app: APP, stage: "prod" }, { token: value, method: "PATCH", body: { region: "eu-west-1" } })).body
        .error?.message,
    ).toBe(`Your role on ${APP} is deployer; changing stage settings needs admin.`);

    await revokeToken({ app: await appRef(APP), id: String(token.id), actor: ADMIN_ACTOR });
    const after = await call(buildsGet, "/x", { app: APP, stage: "prod" }, { token: value });
    expect(after).toMatchObject({ status: 401, body: { error: { code: "unauthorized", message: expect.stringMatching(/revoked/) } } });
    const actions = (await db.auditEvent.findMany({ where: { action: { startsWith: "token." } }, orderBy: { id: "asc" } })).map((e) => [
      e.action,
      e.target,
      e.actor,
    ]);
    expect(actions).toEqual([
      ["token.create", "token ci-deploy", "user:admin@example.com"],
      ["token.revoke", "token ci-deploy", "user:admin@example.com"],
    ]);
  });

  it("SPROUT_BOOTSTRAP_TOKEN: an instance-wide admin token, made idempotently", async () => {
    expect(await ensureBootstrapToken(BOOTSTRAP)).toBe("created");
    expect(await ensureBootstrapToken(BOOTSTRAP)).toBe("kept");
    const apps = await call(appsGet, "/api/apps", {}, { token: BOOTSTRAP });
    expect(apps.body.apps.map((a: { name: string }) => a.name)).toEqual([APP, "elsewhere"]);
    const created = await call(appsPost, "/api/apps", {}, { token: BOOTSTRAP, body: { name: "made-by-ci" } });
    expect(created.status).toBe(201);
    expect(await db.auditEvent.findFirst({ where: { action: "app.create" } })).toMatchObject({
      actor: "token:bootstrap",
      target: "made-by-ci",
    });
    // a viewer cannot create apps
    expect((await call(appsPost, "/api/apps", {}, { cookie: viewer, body: { name: "nope" } })).status).toBe(403);
  });
});

describe("accounts", () => {
  it("an admin adds a member by email: the account is made with a password answered once, and it signs in", async () => {
    const res = await call(
      membersPost,
      "/x",
      { app: APP },
      { token: BOOTSTRAP, body: { email: "New.Person@Example.com", role: "deployer" } },
    );
    expect(res.status).toBe(201);
    expect(res.body.member).toMatchObject({ email: "new.person@example.com", role: "deployer" });
    expect(res.body.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect((await signIn("new.person@example.com", res.body.password)).res.status).toBe(200);
    // a second add of the same member is a conflict; a viewer may not add members at all
    expect(
      (await call(membersPost, "/x", { app: APP }, { token: BOOTSTRAP, body: { email: "new.person@example.com", role: "viewer" } })).status,
    ).toBe(409);
    expect((await call(membersPost, "/x", { app: APP }, { cookie: viewer, body: { email: "x@example.com", role: "admin" } })).status).toBe(
      403,
    );
  });

  it("setup makes the first admin only while no user exists", async () => {
    await expect(setupFirstAdmin({ email: "late@example.com", password: "long-enough-1" })).rejects.toThrow("Sprout already has an admin");
    expect(await db.user.count({ where: { email: "late@example.com" } })).toBe(0);
  });

  it("an operator's reset (SPROUT_RESET_PASSWORD) replaces the password and ends the user's sessions", async () => {
    await userWithRole("forgot@example.com", APP, "viewer");
    const { cookie } = await signIn("forgot@example.com");
    expect((await call(appsGet, "/api/apps", {}, { cookie })).status).toBe(200);
    const fresh = await resetPassword("forgot@example.com");
    expect((await call(appsGet, "/api/apps", {}, { cookie })).status).toBe(401);
    expect((await signIn("forgot@example.com")).res.status).toBe(401);
    expect((await signIn("forgot@example.com", fresh)).res.status).toBe(200);
  });

  it("offers no way to make an account or raise one's own rights through better-auth", async () => {
    const post = (path: string, body: unknown, cookie = "") =>
      authPost(
        new Request(`http://localhost/api/auth${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie },
          body: JSON.stringify(body),
        }),
      );
    expect((await post("/sign-up/email", { email: "self@example.com", password: "long-enough-1", name: "Self" })).status).toBe(404);
    expect((await post("/update-user", { isAdmin: true, name: "Boss" }, viewer)).status).toBe(404);
    expect(await db.user.findUniqueOrThrow({ where: { email: "viewer@example.com" } })).toMatchObject({ isAdmin: false });
  });

  it("a wrong password is refused (the rate limit: sign-in.test.ts)", async () => {
    expect((await signIn("viewer@example.com", "wrong-password")).res.status).toBe(401);
  });
});
