// Cross-site request forgery: a page on another site may make a signed-in browser POST to Sprout.
// Browsers say where a request comes from (Sec-Fetch-Site, Origin); scripts and CI send neither,
// and authenticate with a Bearer token a foreign page cannot add without a CORS preflight Sprout
// never grants. So: refuse what a browser marks as cross-origin, allow what carries no marks.
// Pure (no Next imports): proxy.ts and lib/authz share it.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface TOriginInput {
  method: string;
  origin: string | null;
  secFetchSite: string | null;
  /** Host, and X-Forwarded-Host when a reverse proxy set it */
  hosts: (string | null)[];
}

export const CROSS_ORIGIN_MESSAGE =
  "Cross-origin request refused: changes are accepted from Sprout's own pages, or from scripts with Authorization: Bearer <token>.";

/** null when the request may go on; else why it is refused. */
export function crossOriginRefusal(r: TOriginInput): string | null {
  if (SAFE_METHODS.has(r.method.toUpperCase())) return null;
  if (r.secFetchSite) return r.secFetchSite === "same-origin" || r.secFetchSite === "none" ? null : CROSS_ORIGIN_MESSAGE;
  if (!r.origin) return null;
  let host: string;
  try {
    host = new URL(r.origin).host;
  } catch {
    return CROSS_ORIGIN_MESSAGE; // "null" (sandboxed iframes, file:) or garbage
  }
  return r.hosts.some((h) => h && h.split(",")[0]!.trim().toLowerCase() === host.toLowerCase()) ? null : CROSS_ORIGIN_MESSAGE;
}

export function originInput(req: { method: string; headers: Headers }): TOriginInput {
  const h = req.headers;
  return {
    method: req.method,
    origin: h.get("origin"),
    secFetchSite: h.get("sec-fetch-site"),
    hosts: [h.get("host"), h.get("x-forwarded-host")],
  };
}
