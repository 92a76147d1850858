// A real HTTP server on 127.0.0.1 that records what it is sent: a webhook or Slack target for the
// notification tests. `answer` decides each response (status), in order of arrival.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface TReceived {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface TReceiver {
  url: string;
  received: TReceived[];
  /** the status of the n-th request (0-based); default 200 */
  answer: (n: number, req: TReceived) => number | "hang";
  close(): Promise<void>;
}

export async function startReceiver(answer: TReceiver["answer"] = () => 200): Promise<TReceiver> {
  const received: TReceived[] = [];
  const hanging = new Set<http.ServerResponse>();
  const receiver: TReceiver = { url: "", received, answer, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = { path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      const status = receiver.answer(received.length, r);
      received.push(r);
      if (status === "hang") return void hanging.add(res); // never answers: the sender's time limit ends it
      res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : `nope ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise((resolve) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
