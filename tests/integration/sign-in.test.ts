// Sign-in hardening through better-auth's real endpoints on a real PostgreSQL: the password length
// NIST SP 800-63B rev. 4 sets for a password used alone, and the sign-in rate limit's client address.
import { describe, expect, it } from "vitest";
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
