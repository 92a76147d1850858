import "server-only";
import { SSE_HEARTBEAT_MS } from "@/lib/core/sse-timing";
import { liveStats } from "./stats";

// Server-sent events over a web ReadableStream: no buffering by proxies, heartbeats so that idle
// connections stay open and clients notice a silent stream, cleanup when the client goes away.
// A stream re-checks its reader's access every few seconds and after events, and closes once it is
// gone (a revoked token, a removed member, an ended session).

export interface TSseChannel {
  send(event: string, data: unknown, id?: number): void;
  close(): void;
  readonly closed: boolean;
}

/** A `ping` event this often: a page that hears nothing for SSE_SILENCE_MS treats the stream as down. */
const HEARTBEAT_MS = SSE_HEARTBEAT_MS;
const encoder = new TextEncoder();
const frame = (event: string, data: unknown, id?: number) =>
  encoder.encode(`${id !== undefined ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

/** The same event sent to many streams (one build, a thousand viewers) is serialized and encoded once, and its bytes shared. */
const framed = new WeakMap<object, Map<string, Uint8Array>>();
function bytesOf(event: string, data: unknown, id?: number): Uint8Array {
  if (typeof data !== "object" || data === null) return frame(event, data, id);
  let byKey = framed.get(data);
  if (!byKey) framed.set(data, (byKey = new Map()));
  const key = `${event}:${id ?? ""}`;
  let bytes = byKey.get(key);
  if (!bytes) byKey.set(key, (bytes = frame(event, data, id)));
  return bytes;
}
const RETRY = encoder.encode("retry: 1000\n\n");
const PING = {};

/** How often access is re-checked at most: on a timer, and after an event once this long has passed. */
export const ACCESS_CHECK_MS = 2_000;

export interface TSseOptions {
  /** false (or a rejection that says so) when the reader may no longer read this stream */
  stillAllowed?: () => Promise<boolean>;
}

export function sseResponse(
  signal: AbortSignal,
  run: (channel: TSseChannel) => Promise<() => void>,
  { stillAllowed }: TSseOptions = {},
): Response {
  let cleanup: (() => void) | null = null;
  const timers: NodeJS.Timeout[] = [];
  let closed = false;
  let checking = false;
  let checkedAt = Date.now();

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const stop = () => {
        closed = true;
        liveStats.sseClients -= 1;
        for (const t of timers) clearInterval(t);
        cleanup?.();
      };
      const check = () => {
        if (!stillAllowed || checking || closed) return;
        checking = true;
        checkedAt = Date.now();
        stillAllowed()
          .then((ok) => !ok && channel.close())
          .catch((e) => console.error("[sprout] event stream: access check failed", e)) // a database hiccup keeps the stream
          .finally(() => (checking = false));
      };
      const channel: TSseChannel = {
        get closed() {
          return closed;
        },
        send(event, data, id) {
          if (closed) return;
          controller.enqueue(bytesOf(event, data, id));
          if (Date.now() - checkedAt >= ACCESS_CHECK_MS) check();
        },
        close() {
          if (closed) return;
          stop();
          controller.close();
        },
      };
      liveStats.sseClients += 1;
      controller.enqueue(RETRY);
      channel.send("ping", PING); // at once: a page counts its stream as up only once it hears from it
      timers.push(setInterval(() => channel.send("ping", PING), HEARTBEAT_MS));
      if (stillAllowed) timers.push(setInterval(check, ACCESS_CHECK_MS));
      signal.addEventListener("abort", () => channel.close(), { once: true });
      run(channel).then(
        (fn) => (closed ? fn() : (cleanup = fn)),
        (e) => {
          console.error("[sprout] event stream failed", e);
          channel.close();
        },
      );
    },
    cancel() {
      if (closed) return;
      closed = true;
      liveStats.sseClients -= 1;
      for (const t of timers) clearInterval(t);
      cleanup?.();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
