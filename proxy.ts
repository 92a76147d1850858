import { NextResponse, type NextRequest } from "next/server";
import { getSessionCookie } from "better-auth/cookies";
import { crossOriginRefusal, originInput } from "@/lib/core/origin";
import { contentSecurityPolicy } from "@/lib/core/csp";

// In front of every request, cheap checks only (no database): a browser's cross-origin change to
// the API is refused; a page visit without a session cookie goes to the sign-in page at once. The
// real checks (is the session valid, what may this role do) are in the pages, routes and actions.
// Every response gets a Content-Security-Policy whose scripts need this request's nonce: Next puts
// it on its own inline scripts when it finds the policy on the request (pages render per request).

const PUBLIC_PAGES = new Set(["/sign-in", "/setup"]);
const dev = process.env.NODE_ENV !== "production";

function withCsp(res: NextResponse, csp: string): NextResponse {
  res.headers.set("Content-Security-Policy", csp);
  return res;
}

export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce, { dev });
  if (pathname.startsWith("/api/")) {
    const refusal = crossOriginRefusal(originInput(req));
    if (refusal) return withCsp(NextResponse.json({ error: { code: "forbidden", message: refusal } }, { status: 403 }), csp);
    return withCsp(NextResponse.next(), csp);
  }
  if (!PUBLIC_PAGES.has(pathname) && !getSessionCookie(req)) {
    const url = new URL("/sign-in", req.url);
    if (pathname !== "/") url.searchParams.set("next", pathname + search);
    return withCsp(NextResponse.redirect(url), csp);
  }
  const headers = new Headers(req.headers);
  // the page's own check sends an expired session to /sign-in?next=<this path>
  headers.set("x-sprout-path", pathname + search);
  headers.set("Content-Security-Policy", csp);
  return withCsp(NextResponse.next({ request: { headers } }), csp);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
