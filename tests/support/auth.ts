// Accounts for tests that go through the routes: users with a role on an app, a real sign-in
// through better-auth's endpoint (its session cookie), and calling a route handler as Next would.
import { db } from "@/lib/server/db";
import { createUser } from "@/lib/server/auth/users";
import { POST as authPost } from "@/app/api/auth/[...all]/route";
import type { TRole } from "@/lib/core/roles";

export const PASSWORD = "correct-horse-battery";

export async function userWithRole(email: string, app: string | null, role: TRole | null, opts: { isAdmin?: boolean } = {}) {
  const user = await db.$transaction((tx) => createUser(tx, { email, password: PASSWORD, isAdmin: opts.isAdmin }));
  if (app && role) {
    const a = await db.app.findUniqueOrThrow({ where: { name: app } });
    await db.membership.create({ data: { appId: a.id, userId: user.id, role } });
  }
  return user;
}

/** Signs in through POST /api/auth/sign-in/email; answers the response and its session cookie. */
export async function signIn(email: string, password = PASSWORD, headers: Record<string, string> = {}) {
  const res = await authPost(
    new Request("http://localhost/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ email, password }),
    }),
  );
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
  return { res, cookie };
}

type THandler = (req: Request, ctx: never) => Promise<Response>;

/** Calls a route handler with a Request and its params; answers the status and the JSON body. */
export async function call(
  handler: THandler,
  url: string,
  params: Record<string, string>,
  init: { method?: string; cookie?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.cookie) headers.cookie = init.cookie;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const req = new Request(`http://localhost${url}`, {
    method: init.method ?? (init.body !== undefined ? "POST" : "GET"),
    headers,
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const res = await handler(req, { params: Promise.resolve(params) } as never);
  return { status: res.status, body: (await res.json()) as Record<string, any> & { error?: { code: string; message: string } } };
}
