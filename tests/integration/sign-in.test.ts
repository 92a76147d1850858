// Sign-in hardening through better-auth's real endpoints on a real PostgreSQL: the password length
// NIST SP 800-63B rev. 4 sets for a password used alone, and the sign-in rate limit's client address.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { POST as authPost } from "@/app/api/auth/[...all]/route";
import { setupAction } from "@/lib/server/actions/setup";
import { signIn, userWithRole } from "../support/auth";

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  authPost(
    new Request(`http://localhost/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );

describe("passwords", () => {
  it("a new password needs at least 15 characters, at setup and when changing it", async () => {
    const setup = await setupAction({ email: "first@example.com", password: "fourteen-chars" });
    expect(setup).toEqual({ ok: false, error: "password: must be at least 15 characters", code: "bad_request" });

    await userWithRole("changer@example.com", null, null);
    const { cookie } = await signIn("changer@example.com");
    const change = (newPassword: string) =>
      post("/change-password", { currentPassword: "correct-horse-battery", newPassword, revokeOtherSessions: false }, { cookie });
    const short = await change("fourteen-chars");
    expect(short.status).toBe(400);
    expect(((await short.json()) as { message: string }).message).toMatch(/too short/i);
    expect((await signIn("changer@example.com", "fourteen-chars")).res.status).toBe(401);
    expect((await change("fifteen-chars-ok")).status).toBe(200);
    expect((await signIn("changer@example.com", "fifteen-chars-ok")).res.status).toBe(200);
  });
});

describe("the sign-in rate limit's client address", () => {
  // as behind Sprout's web server (scripts/web-server.ts), which sets x-sprout-peer from the socket
  beforeAll(async () => {
    process.env.SPROUT_WEB_SERVER = "1";
    await userWithRole("target@example.com", null, null);
  });
  afterEach(() => {
    delete process.env.SPROUT_TRUSTED_PROXIES;
  });

  const attempt = (headers: Record<string, string>) =>
    signIn("target@example.com", "wrong-password-guess", headers).then((r) => r.res.status);

  it("is the socket's peer: made-up X-Forwarded-For values do not reset it", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push(await attempt({ "x-sprout-peer": "198.51.100.20", "x-forwarded-for": `203.0.113.${i}` }));
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(10).fill(429));
    // a client cannot name the address better-auth reads either
    expect(await attempt({ "x-sprout-peer": "198.51.100.20", "x-sprout-client-ip": "203.0.113.77" })).toBe(429);
    expect(await db.rateLimit.count({ where: { key: { contains: "198.51.100.20" } } })).toBe(1);
    expect(await db.rateLimit.count({ where: { key: { contains: "203.0.113." } } })).toBe(0);
    // another peer has its own bucket
    expect(await attempt({ "x-sprout-peer": "198.51.100.21" })).toBe(401);
  });

  it("behind a trusted proxy, is the client the proxy names: distinct clients, distinct buckets", async () => {
    process.env.SPROUT_TRUSTED_PROXIES = "192.0.2.10, 10.0.0.0/24";
    const viaProxy = (forwardedFor: string) => attempt({ "x-sprout-peer": "192.0.2.10", "x-forwarded-for": forwardedFor });
    const first: number[] = [];
    for (let i = 0; i < 11; i++) first.push(await viaProxy("203.0.113.50"));
    expect(first.at(-1)).toBe(429);
    // another client behind the same proxy, and clients behind a shared multi-hop header, are not limited with it
    expect(await viaProxy("203.0.113.51")).toBe(401);
    expect(await viaProxy("6.6.6.6, 203.0.113.52, 10.0.0.7")).toBe(401);
    expect(await viaProxy("6.6.6.6, 203.0.113.53, 10.0.0.7")).toBe(401);
    // the limited client cannot escape by prepending made-up hops
    expect(await viaProxy("1.2.3.4, 203.0.113.50")).toBe(429);
    // a peer that is not a trusted proxy is itself the client, whatever it forwards
    const direct: number[] = [];
    for (let i = 0; i < 11; i++)
      direct.push(await attempt({ "x-sprout-peer": "198.51.100.30", "x-forwarded-for": `203.0.113.${100 + i}` }));
    expect(direct.at(-1)).toBe(429);
  });

  it("with a hop count, is the address the last proxy appended", async () => {
    process.env.SPROUT_TRUSTED_PROXIES = "1";
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push(await attempt({ "x-sprout-peer": "10.1.1.1", "x-forwarded-for": `9.9.9.${i}, 203.0.113.60` }));
    expect(statuses.at(-1)).toBe(429);
    expect(await attempt({ "x-sprout-peer": "10.1.1.1", "x-forwarded-for": "203.0.113.61" })).toBe(401);
  });
});
