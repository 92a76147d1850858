// The web server `npm start` runs: Next.js (the production build in .next) inside a plain
// node:http server, which puts each request's socket address in a header the app trusts (Next's
// own server hands route handlers no socket address, and keeps a client's X-Forwarded-For as is).
// The sign-in rate limit keys on it (lib/core/client-address.ts). PORT sets the port.
// Run: node --import tsx scripts/web-server.ts (without --conditions=react-server: Next renders here)
import http from "node:http";
import { parseTrustedProxies, PEER_HEADER, WEB_SERVER_ENV } from "@/lib/core/client-address";

const port = Number(process.env.PORT ?? 3000);
const STOP_GRACE_MS = 3_000;

async function main() {
  try {
    parseTrustedProxies(process.env.SPROUT_TRUSTED_PROXIES);
  } catch (e) {
    console.error(`[sprout] ${(e as Error).message}`);
    process.exit(1);
  }
  (process.env as Record<string, string>).NODE_ENV ??= "production";
  process.env[WEB_SERVER_ENV] = "1";
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: process.cwd(), port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    // always overwritten: a client cannot choose the address the app sees
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
    void handle(req, res);
  });
  server.listen(port, () => console.log(`[sprout] web server listening on port ${port}`));

  // open event streams never end by themselves: close them after a grace period
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((e) => {
  console.error(`[sprout] the web server could not start: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
  process.exit(1);
});
