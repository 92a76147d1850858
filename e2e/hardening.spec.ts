// Defenses a browser, a script and an attacker run into on a running Sprout: the per-request CSP
// nonce (and the app still works under it), sign-in's `next` that never leaves the site, pages that
// ignore API tokens instead of looping, the sign-in rate limit keyed on the socket's address (not
// on a made-up X-Forwarded-For), and server actions that refuse a cross-site post without Origin.
import fs from "node:fs";
import http from "node:http";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { readE2eAuth } from "./auth-files";

test.describe("the Content-Security-Policy", () => {
  test("pages carry a fresh script nonce, no 'unsafe-inline' for scripts, and still work", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (m) => /Content Security Policy|Refused to (execute|load)/i.test(m.text()) && violations.push(m.text()));
    const res = (await page.goto("/account"))!;
    const csp = res.headers()["content-security-policy"] ?? "";
    const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src"))!;
    expect(scriptSrc).toMatch(/^ ?script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'$/);
    expect(scriptSrc).not.toContain("unsafe-inline");
    expect(scriptSrc).not.toContain("unsafe-eval");
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1];
    // Next's inline scripts carry it; another request gets another one
    const inline = await page.locator("script:not([src])").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
    expect(inline.length).toBeGreaterThan(0);
    expect(new Set(inline)).toEqual(new Set([nonce]));
    const again = (await page.request.get("/account")).headers()["content-security-policy"];
    expect(again).not.toContain(nonce);
    // hydrated: the form checks the two new passwords in the browser
    await page.getByLabel("Current password").fill("whatever-it-is-now");
    await page.getByLabel("New password", { exact: true }).fill("a-new-password-15");
    await page.getByLabel("New password, again").fill("another-one-of-15");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "differ" })).toHaveText("The two new passwords differ.");
    expect(violations).toEqual([]);
  });
});

test.describe("after signing in", () => {
  test("`next` that would leave the site goes home, and a newline in it is no 500", async ({ page, request, playwright, baseURL }) => {
    await page.goto("/sign-in?next=%2F%09%2Fevil.example");
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    expect(new URL(page.url()).pathname).toBe("/");
    for (const next of ["%2F%0A", "%2F%0D%0ASet-Cookie:x=1", "%2F%5C%2Fevil.example"]) {
      const signedIn = await request.get(`/sign-in?next=${next}`, { maxRedirects: 0 });
      expect(signedIn.status(), next).toBe(307);
      const location = new URL(signedIn.headers()["location"]!, baseURL);
      expect(location.origin, next).toBe(new URL(baseURL!).origin);
      expect(location.pathname, next).not.toMatch(/^\/\//);
      const anonymous = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
      expect((await anonymous.get(`/sign-in?next=${next}`)).status(), next).toBe(200);
      await anonymous.dispose();
    }
  });
});

test.describe("a page fetched with an API token", () => {
  test("lands on the sign-in page instead of looping", async ({ playwright, baseURL }) => {
    const { token } = readE2eAuth();
    const script = await playwright.request.newContext({
      baseURL,
      storageState: { cookies: [], origins: [] },
      extraHTTPHeaders: { authorization: `Bearer ${token}` },
    });
    const res = await script.get("/apps/notes", { maxRedirects: 5 });
    expect(res.status()).toBe(200);
    expect(new URL(res.url()).pathname + new URL(res.url()).search).toBe("/sign-in?next=%2Fapps%2Fnotes");
    expect(await res.text()).toContain("Sign in to Sprout");
    // the API takes the token as before
    expect((await script.get("/api/apps/notes")).status()).toBe(200);
    await script.dispose();
  });
});

/** A sign-in attempt over a socket bound to `from` (127.0.0.0/8 is all this machine). */
function signInFrom(baseURL: string, from: string, headers: Record<string, string> = {}): Promise<number> {
  const url = new URL("/api/auth/sign-in/email", baseURL);
  const body = JSON.stringify({ email: readE2eAuth().email, password: "not-the-password-at-all" });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        localAddress: from,
        headers: { "content-type": "application/json", ...headers },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode!));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

test.describe("the sign-in rate limit", () => {
  test("keys on the socket's address: rotating X-Forwarded-For values are still limited", async ({ baseURL }) => {
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push(await signInFrom(baseURL!, "127.0.0.2", { "x-forwarded-for": `203.0.113.${i}` }));
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(5).fill(429));
    // another address is another client
    expect(await signInFrom(baseURL!, "127.0.0.3")).toBe(401);
  });

  test("behind a trusted proxy (SPROUT_TRUSTED_PROXIES=127.0.0.9 in e2e/serve.ts), distinct clients get distinct buckets", async ({
    baseURL,
  }) => {
    const viaProxy = (client: string) => signInFrom(baseURL!, "127.0.0.9", { "x-forwarded-for": `198.51.100.99, ${client}` });
    const first: number[] = [];
    for (let i = 0; i < 11; i++) first.push(await viaProxy("198.51.100.1"));
    expect(first.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(first[10]).toBe(429);
    expect(await viaProxy("198.51.100.2")).toBe(401);
    expect(await viaProxy("198.51.100.3")).toBe(401);
  });
});

type TManifest = { node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }> };

/** Posts to a server action the way Next's client does, from a page on another site that sends no Origin. */
async function postAction(request: APIRequestContext, file: string, name: string, page: string, input: unknown, site: string) {
  const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as TManifest;
  const [id] = Object.entries(manifest.node).find(([, v]) => v.filename === file && v.exportedName === name)!;
  const res = await request.post(page, {
    headers: { "next-action": id, "sec-fetch-site": site, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component" },
    data: JSON.stringify([input]),
  });
  return res.text();
}

test.describe("server actions", () => {
  const refused = "Cross-origin request refused";

  test("refuse a cross-site post without Origin (appAction), as the API does", async ({ request }) => {
    const add = (email: string, site: string) =>
      postAction(
        request,
        "lib/server/actions/access-actions.ts",
        "addMemberAction",
        "/apps/notes/settings",
        { app: "notes", email, role: "viewer" },
        site,
      );
    const tag = Date.now().toString(36);
    expect(await add(`same-${tag}@x.test`, "same-origin")).not.toContain(refused);
    expect(await add(`cross-${tag}@x.test`, "cross-site")).toContain(refused);
    const members = ((await (await request.get("/api/apps/notes/members")).json()) as { members: { email: string }[] }).members.map(
      (m) => m.email,
    );
    expect(members).toContain(`same-${tag}@x.test`);
    expect(members).not.toContain(`cross-${tag}@x.test`);
  });

  test("the setup action refuses it too", async ({ request }) => {
    const setup = (site: string) =>
      postAction(
        request,
        "lib/server/actions/setup.ts",
        "setupAction",
        "/setup",
        { email: "late@x.test", password: "long-enough-password" },
        site,
      );
    expect(await setup("same-origin")).toContain("Sprout already has an admin");
    expect(await setup("cross-site")).toContain(refused);
  });
});
