// A web process for tests of several web processes without a Next build: a plain node:http server
// that serves the real events route (its own live hub: one LISTEN, its own SSE streams). Prints
// "[route-server] listening on <port>" once up. Run: node --conditions=react-server --import tsx tests/support/route-server.ts
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { GET as buildEvents } from "@/app/api/apps/[app]/stages/[stage]/builds/[number]/events/route";

const EVENTS = /^\/api\/apps\/([^/]+)\/stages\/([^/]+)\/builds\/(\d+)\/events(?:\?|$)/;

const server = http.createServer((req, res) => {
  const m = EVENTS.exec(req.url ?? "");
  if (!m) return void res.writeHead(404).end();
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const request = new Request(`http://127.0.0.1${req.url}`, { headers, signal: abort.signal });
  const params = Promise.resolve({ app: decodeURIComponent(m[1]!), stage: decodeURIComponent(m[2]!), number: m[3]! });
  void buildEvents(request, { params } as never).then((response) => {
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    Readable.fromWeb(response.body as never)
      .on("error", () => res.end())
      .pipe(res);
  });
});
server.listen(0, "127.0.0.1", () => console.log(`[route-server] listening on ${(server.address() as AddressInfo).port}`));
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
