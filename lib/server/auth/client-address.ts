import "server-only";
import { clientAddress, parseTrustedProxies, PEER_HEADER, WEB_SERVER_ENV, type TTrustedProxies } from "@/lib/core/client-address";

// The sign-in rate limit's client address: the socket's peer as Sprout's web server reports it,
// or the client behind the proxies SPROUT_TRUSTED_PROXIES names (lib/core/client-address.ts).
// better-auth reads it from CLIENT_ADDRESS_HEADER, which is always replaced here, never a client's.

export const CLIENT_ADDRESS_HEADER = "x-sprout-client-ip";

let parsed: { value: string | undefined; trusted: TTrustedProxies } | null = null;

function trustedProxies(): TTrustedProxies {
  const value = process.env.SPROUT_TRUSTED_PROXIES;
  if (!parsed || parsed.value !== value) parsed = { value, trusted: parseTrustedProxies(value) };
  return parsed.trusted;
}

/** The request's client address, or null when it cannot be known (not behind Sprout's web server: `next dev`). */
export function requestClientAddress(headers: Headers): string | null {
  const peer = process.env[WEB_SERVER_ENV] === "1" ? headers.get(PEER_HEADER) : null;
  return clientAddress({ peer, forwardedFor: headers.get("x-forwarded-for"), trusted: trustedProxies() });
}

/** The request as better-auth gets it: CLIENT_ADDRESS_HEADER set to the address found here (or absent). */
export function withClientAddress(req: Request): Request {
  const headers = new Headers(req.headers);
  headers.delete(CLIENT_ADDRESS_HEADER);
  const address = requestClientAddress(req.headers);
  if (address) headers.set(CLIENT_ADDRESS_HEADER, address);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(req.url, {
    method: req.method,
    headers,
    body: hasBody ? req.body : undefined,
    signal: req.signal,
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
}
