// A stage's endpoint receives requests signed with the host's AWS credentials: through the real
// route handlers and sign-in, only an instance admin may set it, only to an address Sprout may
// call, and what an arbitrary server answers is never repeated. A real HTTP listener on 127.0.0.1
// plays the internal service an attacker would aim at; it counts what reaches it.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { guardedLookup } from "@/lib/server/endpoints";
import { PATCH as stagePatch } from "@/app/api/apps/[app]/stages/[stage]/route";
import { POST as stagesPost } from "@/app/api/apps/[app]/stages/route";
import { POST as refreshPost } from "@/app/api/apps/[app]/stages/[stage]/refresh/route";
import { call, signIn, userWithRole } from "../support/auth";

const APP = "ssrf";
const SECRET = "AKIA-INTERNAL-SECRET-BODY";
let server: http.Server;
let port = 0;
const seen: { method?: string; authorization?: string }[] = [];
let admin = ""; // an admin of the app only
let instanceAdmin = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ method: req.method, authorization: req.headers.authorization });
    req.resume();
    // what an internal service might answer, shaped so that an AWS SDK would read its Message
    res.writeHead(404, { "content-type": "text/xml" });
    res.end(`<ErrorResponse><Error><Code>NotFound</Code><Message>${SECRET}</Message></Error></ErrorResponse>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDSPROUTTEST", AWS_SECRET_ACCESS_KEY: "test" });
  delete process.env.SPROUT_ALLOW_PRIVATE_ENDPOINTS;
  delete process.env.AWS_ENDPOINT_URL;
  await db.app.create({ data: { name: APP, stages: { create: [{ name: "prod", driver: "cloudformation" }] } } });
  await userWithRole("app-admin@example.com", APP, "admin");
  await userWithRole("root@example.com", null, null, { isAdmin: true });
  admin = (await signIn("app-admin@example.com")).cookie;
  instanceAdmin = (await signIn("root@example.com")).cookie;
  expect(admin && instanceAdmin).toMatch(/session_token=/);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const patch = (cookie: string, body: Record<string, unknown>) =>
  call(stagePatch, `/api/apps/${APP}/stages/prod`, { app: APP, stage: "prod" }, { cookie, method: "PATCH", body });
const stageRow = () => db.stage.findFirstOrThrow({ where: { app: { name: APP }, name: "prod" } });
const audits = () => db.auditEvent.count({ where: { app: { name: APP } } });

describe("stage endpoints", () => {
  it("refuses an app admin who is not an instance admin (403), in PATCH and in a new stage; the region stays theirs", async () => {
    const before = await audits();
    const res = await patch(admin, { endpoint: `http://127.0.0.1:${port}` });
    expect(res.status).toBe(403);
    expect(res.body.error?.message).toMatch(/^Only an instance admin may set or change a stage's endpoint/);
    const created = await call(
      stagesPost,
      `/api/apps/${APP}/stages`,
      { app: APP },
      { cookie: admin, body: { name: "qa", driver: "cloudformation", endpoint: `http://127.0.0.1:${port}` } },
    );
    expect(created.status).toBe(403);
    expect(await db.stage.count({ where: { app: { name: APP } } })).toBe(1);
    expect((await stageRow()).endpoint).toBeNull();
    expect(await audits()).toBe(before);
    // what they may change still saves, the unchanged endpoint sent along (as the settings form does)
    expect((await patch(admin, { region: "eu-west-1", endpoint: null })).status).toBe(200);
    expect((await stageRow()).region).toBe("eu-west-1");
    expect(seen).toEqual([]);
  });

  it.each([
    ["http://169.254.169.254/latest/meta-data/", /169\.254\.169\.254 is a cloud metadata service address/],
    ["http://[fd00:ec2::254]/", /metadata/],
    ["http://0251.0376.0251.0376/", /four decimal numbers \(169\.254\.169\.254\)/],
    ["http://10.0.0.1:4566", /private network address.*SPROUT_ALLOW_PRIVATE_ENDPOINTS=1/],
    ["https://192.168.0.10", /private network address/],
    ["http://0x7f000001:PORT", /as "0x7f000001"/],
    ["http://2130706433:PORT", /as "2130706433"/],
    ["http://0177.0.0.1:PORT", /as "0177\.0\.0\.1"/],
    ["http://[::ffff:127.0.0.1]:PORT", /IPv4 address written as IPv6/],
    ["http://user:secret@127.0.0.1:PORT", /must not carry credentials/],
    ["http://8.8.8.8", /use https/],
    ["https://no-such-host.invalid", /no-such-host\.invalid does not resolve/],
  ])("refuses an instance admin's %s (400) and changes nothing", async (raw, why) => {
    const before = [await stageRow(), await audits()];
    const res = await patch(instanceAdmin, { endpoint: raw.replace("PORT", String(port)) });
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toMatch(/^endpoint: /);
    expect(res.body.error?.message).toMatch(why);
    expect([await stageRow(), await audits()]).toEqual(before);
    expect(seen).toEqual([]);
  });

  it("lets an instance admin point a stage at a local emulator on loopback; an arbitrary server's answer is not repeated", async () => {
    const res = await patch(instanceAdmin, { endpoint: `http://127.0.0.1:${port}` });
    expect(res.status).toBe(200);
    expect(res.body.stage.endpoint).toBe(`http://127.0.0.1:${port}`);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "stage.update" }, orderBy: { id: "desc" } });
    expect([audit.actor, audit.detail]).toEqual(["user:root@example.com", { endpoint: { from: null, to: `http://127.0.0.1:${port}` } }]);

    await db.service.create({ data: { appId: (await stageRow()).appId, name: "api" } });
    const refreshed = await call(refreshPost, "/x", { app: APP, stage: "prod" }, { cookie: instanceAdmin, method: "POST" });
    expect(seen.length).toBeGreaterThan(0); // it was asked, with a signed request...
    expect(seen[0]!.authorization).toMatch(/Credential=AKIDSPROUTTEST\//);
    expect(refreshed.status).toBe(409); // ...and what it said stays out of the answer
    expect(refreshed.body.error?.message).toMatch(/answered HTTP 404 with something other than a CloudFormation answer/);
    expect(JSON.stringify(refreshed.body)).not.toContain(SECRET);

    // a name is resolved and checked too: localhost is loopback
    expect((await patch(instanceAdmin, { endpoint: `http://localhost:${port}` })).status).toBe(200);
  });

  it("allows a private address when the instance sets SPROUT_ALLOW_PRIVATE_ENDPOINTS=1, never a metadata one", async () => {
    process.env.SPROUT_ALLOW_PRIVATE_ENDPOINTS = "1";
    try {
      expect((await patch(instanceAdmin, { endpoint: "http://10.0.0.1:4566" })).status).toBe(200);
      expect((await patch(instanceAdmin, { endpoint: "http://169.254.169.254/" })).status).toBe(400);
      expect((await stageRow()).endpoint).toBe("http://10.0.0.1:4566");
    } finally {
      delete process.env.SPROUT_ALLOW_PRIVATE_ENDPOINTS;
    }
  });

  it("checks the addresses a name resolves to at every connection", async () => {
    const lookup = (scheme: "http" | "https", host: string) =>
      new Promise<string>((resolve) =>
        guardedLookup(scheme)(host, {}, (err, address) => resolve(err ? `refused: ${err.message}` : String(address))),
      );
    expect(await lookup("http", "localhost")).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(await lookup("https", "169.254.169.254")).toMatch(/^refused: .*cloud metadata service address/);
    expect(await lookup("https", "10.1.2.3")).toMatch(/^refused: .*private network address/);
  });
});
