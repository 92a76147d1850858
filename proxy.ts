import { NextResponse, type NextRequest } from "next/server";
import { getSessionCookie } from "better-auth/cookies";
import { crossOriginRefusal, originInput } from "@/lib/core/origin";

// In front of every request, cheap checks only (no database): a browser's cross-origin change to
// the API is refused; a page visit without a session cookie goes to the sign-in page at once. The
// real checks (is the session valid, what may this role do) are in the pages, routes and actions.

const PUBLIC_PAGES = new Set(["/sign-in", "/setup"]);

export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (pathname.startsWith("/api/")) {
    const refusal = crossOriginRefusal(originInput(req));
    if (refusal) return NextResponse.json({ error: { code: "forbidden", message: refusal } }, { status: 403 });
    return NextResponse.next();
  }
  if (!PUBLIC_PAGES.has(pathname) && !getSessionCookie(req)) {
    const url = new URL("/sign-in", req.url);
    if (pathname !== "/") url.searchParams.set("next", pathname + search);
    return NextResponse.redirect(url);
  }
  // the page's own check sends an expired session to /sign-in?next=<this path>
  const headers = new Headers(req.headers);
  headers.set("x-sprout-path", pathname + search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
