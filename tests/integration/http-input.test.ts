// Bad input through the real route handlers: each gets a 4xx that says what was wrong and names the
// limit, never a 500, and nothing is stored.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { ensureBootstrapToken } from "@/lib/server/auth/tokens";
import { GET as buildsGet, POST as deployPost } from "@/app/api/apps/[app]/stages/[stage]/builds/route";
import { POST as membersPost } from "@/app/api/apps/[app]/members/route";
import { GET as eventsGet } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/events/route";
import { POST as rollbackPost } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/rollback/route";
import { POST as promotePost } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/promote/route";
import { POST as redeployPost } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/redeploy/route";
import { commit, service } from "../support/fixtures";
import { createStage, deployAndWait, waitForBuild, withWorker } from "../support/engine";

withWorker();

const APP = "inputs";
const TOKEN = "bootstrap-token-for-the-input-test-0123456789";
const params = { params: Promise.resolve({ app: APP, stage: "prod" }) } as never;

type TInit = { body: BodyInit; contentType?: string | null; headers?: Record<string, string> };

async function post(handler: typeof deployPost, init: TInit, url = `http://localhost/api/apps/${APP}/stages/prod/builds`) {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, ...init.headers };
  if (init.contentType !== null) headers["content-type"] = init.contentType ?? "application/json";
  const req = new Request(url, { method: "POST", headers, body: init.body, duplex: "half" } as RequestInit);
  const res = await handler(req, params);
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

const manifest = (template: unknown, message = "input test") => ({ commit: commit(message), services: [{ name: "api", template }] });
const counts = async () => ({ builds: await db.build.count(), artifacts: await db.artifact.count(), services: await db.service.count() });

beforeAll(async () => {
  await ensureBootstrapToken(TOKEN);
  await createStage(APP);
  await createStage("bystander");
});

describe("a JSON body", () => {
  it("must be sent as application/json (415); a text/plain body is not read as JSON", async () => {
    for (const contentType of ["text/plain;charset=UTF-8", null, "application/x-www-form-urlencoded"]) {
      const res = await post(deployPost, { body: JSON.stringify(manifest(service({}))), contentType });
      expect(res).toEqual({
        status: 415,
        body: {
          error: { code: "unsupported_media_type", message: "The request body must be JSON sent with Content-Type: application/json." },
        },
      });
    }
    expect(
      (await post(deployPost, { body: JSON.stringify(manifest(service({}))), contentType: "application/json; charset=utf-8" })).status,
    ).toBe(201);
  });

  it("over the route's size limit is a 413 naming it, found while reading (an endless body is not read to its end)", async () => {
    const before = await counts();
    const big = JSON.stringify(manifest("x".repeat(6 * 1024 * 1024)));
    const tooBig = {
      status: 413,
      body: { error: { code: "payload_too_large", message: "The request body is larger than 6 MB, the limit of this endpoint." } },
    };
    expect(await post(deployPost, { body: big })).toEqual(tooBig);
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 64 * 1024;
        controller.enqueue(new TextEncoder().encode(" ".repeat(64 * 1024)));
      },
    });
    expect(await post(deployPost, { body: endless })).toEqual(tooBig);
    expect(sent).toBeLessThan(7 * 1024 * 1024);
    // other routes have a smaller limit, and a declared Content-Length over it is refused unread
    const members = await post(
      membersPost,
      { body: JSON.stringify({ email: "a@example.com", role: "viewer", name: "x".repeat(200_000) }) },
      `http://localhost/api/apps/${APP}/members`,
    );
    expect(members).toMatchObject({
      status: 413,
      body: { error: { message: "The request body is larger than 100 KB, the limit of this endpoint." } },
    });
    expect(await counts()).toEqual(before);
  });

  it("nested 10,000 levels deep is a 400 naming the depth limit, not a stack overflow", async () => {
    const before = await counts();
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    const res = await post(deployPost, {
      body: JSON.stringify(manifest({ Resources: {} })).replace(
        '"Resources":{}',
        `"Resources":{"T":{"Type":"AWS::SNS::Topic","Properties":${deep}}}`,
      ),
    });
    expect(res).toEqual({
      status: 400,
      body: { error: { code: "bad_request", message: "The request body nests arrays and objects 10006 levels deep; the limit is 100." } },
    });
    expect(await counts()).toEqual(before);
  });

  it("holding a NUL character is a 400 naming the field", async () => {
    const before = await counts();
    const inMessage = await post(deployPost, { body: JSON.stringify(manifest(service({}), "bad\u0000message")) });
    expect(inMessage).toEqual({
      status: 400,
      body: { error: { code: "bad_request", message: "commit.message: must not contain a NUL character (\\u0000)." } },
    });
    const inTemplate = await post(deployPost, {
      body: JSON.stringify(manifest({ Resources: { T: { Type: "AWS::SNS::Topic", Properties: { TopicName: "a\u0000b" } } } })),
    });
    expect(inTemplate.body.error!.message).toBe(
      "services[0].template.Resources.T.Properties.TopicName: must not contain a NUL character (\\u0000).",
    );
    const inText = await post(deployPost, { body: JSON.stringify(manifest("Resources:\n  T:\n    Type: AWS::SNS::Topic\u0000\n")) });
    expect(inText).toMatchObject({
      status: 400,
      body: { error: { message: "services[0].template: must not contain a NUL character (\\u0000)." } },
    });
    expect(await counts()).toEqual(before);
  });

  it("an object template is capped at 1,000,000 characters once serialized, as text templates are", async () => {
    const before = await counts();
    const huge = { Resources: { T: { Type: "AWS::SNS::Topic", Metadata: { Blob: "x".repeat(5 * 1000 * 1000) } } } };
    expect(await post(deployPost, { body: JSON.stringify(manifest(huge)) })).toEqual({
      status: 400,
      body: {
        error: { code: "bad_request", message: "services.0.template: must be at most 1,000,000 characters once serialized as JSON" },
      },
    });
    expect(await counts()).toEqual(before);
  });

  it("that is not JSON still says so", async () => {
    const res = await post(deployPost, { body: "{not json" });
    expect(res.status).toBe(400);
    expect(res.body.error!.message).toMatch(/^The request body is not valid JSON \(/);
  });
});

describe("a hostile template", () => {
  // Timed on a shared machine: retried, since a busy CPU can slow one run; the fault it guards against took 13 s.
  it(
    "a 300 KB YAML alias bomb answers 400 in under a second, while another app's request keeps answering, and stores nothing",
    { retry: 2 },
    async () => {
      const anchor = Array.from({ length: 18_000 }, (_, i) => `    - item-${i}`).join("\n");
      const bomb = `Resources:\n  Topic:\n    Type: AWS::SNS::Topic\nMetadata:\n  Big: &big\n${anchor}\n  Copies: [${Array(999).fill("*big").join(", ")}]\n`;
      expect(bomb.length).toBeGreaterThan(300_000);
      const getBuilds = () =>
        buildsGet(
          new Request("http://localhost/api/apps/bystander/stages/prod/builds", { headers: { authorization: `Bearer ${TOKEN}` } }),
          {
            params: Promise.resolve({ app: "bystander", stage: "prod" }),
          } as never,
        ).then((r) => r.status);
      // warm: the timing is the bomb's, not the first connection's or the routes' first load
      expect([await getBuilds(), (await post(deployPost, { body: JSON.stringify(manifest("Resources: [")) })).status]).toEqual([200, 400]);
      const before = await counts();
      const started = performance.now();
      const timed = async <T>(p: Promise<T>) => {
        const value = await p;
        return { value, ms: performance.now() - started };
      };
      const [refused, other] = await Promise.all([
        timed(post(deployPost, { body: JSON.stringify(manifest(bomb, "the bomb")) })),
        timed(getBuilds()),
      ]);
      expect(refused.value.status).toBe(400);
      expect(refused.value.body.error?.message).toMatch(/line 18006: the template uses more than 100 YAML aliases \(\*big\)/);
      expect(refused.ms).toBeLessThan(1000);
      expect(other).toEqual({ value: 200, ms: expect.any(Number) });
      expect(other.ms).toBeLessThan(1000);
      expect(await counts()).toEqual(before);
    },
  );
});

describe("the build event stream's position", () => {
  let number = 0;
  const open = (query: string, headers: Record<string, string> = {}) => {
    const abort = new AbortController();
    const req = new Request(`http://localhost/api/apps/${APP}/stages/prod/builds/${number}/events${query}`, {
      headers: { authorization: `Bearer ${TOKEN}`, ...headers },
      signal: abort.signal,
    });
    return { res: eventsGet(req, { params: Promise.resolve({ app: APP, stage: "prod", number: String(number) }) } as never), abort };
  };

  it("`after` must be a seq (400 naming it); an unusable Last-Event-ID is ignored", async () => {
    const done = await deployAndWait(APP, "prod", [{ name: "api", template: service({ seconds: 0.05 }) }]);
    expect(done.status).toBe("success");
    number = done.number;
    for (const after of ["99999999999999999999", "-1", "abc", "1.5"]) {
      const { res } = open(`?after=${after}`);
      const r = await res;
      expect(r.status).toBe(400);
      expect(await r.json()).toEqual({ error: { code: "bad_request", message: "after: must be an integer from 0 to 2147483647" } });
    }
    for (const id of ["99999999999999999999", "abc"]) {
      const { res, abort } = open("", { "last-event-id": id });
      const r = await res;
      expect(r.status).toBe(200);
      const text = await r.text(); // a finished build: the replay from the start, then `end`
      expect(text).toMatch(/event: log\n/);
      expect(text).toMatch(/event: end\n/);
      abort.abort();
    }
  });
});

describe("an optional body (rollback, promote, redeploy)", () => {
  const call = async (handler: typeof rollbackPost, action: string, number: number, init: TInit) => {
    const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
    if (init.contentType !== null) headers["content-type"] = init.contentType ?? "application/json";
    const url = `http://localhost/api/apps/${APP}/stages/prod/builds/${number}/${action}`;
    const req = new Request(url, { method: "POST", headers, body: init.body });
    const res = await handler(req, { params: Promise.resolve({ app: APP, stage: "prod", number: String(number) }) } as never);
    return { status: res.status, body: (await res.json()) as { build?: { number: number }; error?: { code: string; message: string } } };
  };

  it("is read with the same checks as any JSON body (415, depth, NUL, size), and a blank one is {}", async () => {
    const done = await deployAndWait(APP, "prod", [{ name: "api", template: service({ seconds: 0.05 }) }]);
    const before = await counts();
    expect(await call(rollbackPost, "rollback", done.number, { body: '{"reason":"x"}', contentType: "text/plain" })).toEqual({
      status: 415,
      body: {
        error: { code: "unsupported_media_type", message: "The request body must be JSON sent with Content-Type: application/json." },
      },
    });
    const deep = `{"to": ${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    expect(await call(promotePost, "promote", done.number, { body: deep })).toEqual({
      status: 400,
      body: { error: { code: "bad_request", message: "The request body nests arrays and objects 10001 levels deep; the limit is 100." } },
    });
    expect(await call(rollbackPost, "rollback", done.number, { body: JSON.stringify({ reason: "bad\u0000reason" }) })).toEqual({
      status: 400,
      body: { error: { code: "bad_request", message: "reason: must not contain a NUL character (\\u0000)." } },
    });
    expect(await call(redeployPost, "redeploy", done.number, { body: JSON.stringify({ force: "x".repeat(200_000) }) })).toMatchObject({
      status: 413,
    });
    expect(await counts()).toEqual(before);

    // a script's POST without a body, or with a blank one, still works
    const redeployed = await call(redeployPost, "redeploy", done.number, { body: "  ", contentType: null });
    expect(redeployed.status).toBe(201);
    expect((await waitForBuild(APP, "prod", redeployed.body.build!.number)).status).toBe("success");
  });
});
