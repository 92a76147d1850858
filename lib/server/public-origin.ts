import "server-only";

// The dashboard's origin as others must call it (GitHub and GitLab post webhooks there): SPROUT_URL
// when it is set, else the address this request came to. Shown to people, never trusted for access.

export function publicOrigin(headers: Headers): string {
  const configured = process.env.SPROUT_URL?.trim();
  if (configured) return configured.replace(/\/+$/, "");
  const first = (name: string) => headers.get(name)?.split(",")[0]?.trim() || null;
  const host = first("x-forwarded-host") ?? first("host") ?? "localhost:3000";
  const proto = first("x-forwarded-proto") === "https" ? "https" : "http";
  return `${proto}://${host}`;
}

/** An origin other machines cannot reach: loopback or a .local name. */
export function isLocalOrigin(origin: string): boolean {
  const { hostname } = new URL(origin);
  return /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i.test(hostname) || hostname.endsWith(".local");
}
