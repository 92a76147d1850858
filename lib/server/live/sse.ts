import "server-only";

// Server-sent events over a web ReadableStream: no buffering by proxies, heartbeats so that idle
// connections stay open, cleanup when the client goes away.

export interface TSseChannel {
  send(event: string, data: unknown, id?: number): void;
  close(): void;
  readonly closed: boolean;
}

const HEARTBEAT_MS = 15_000;

export function sseResponse(signal: AbortSignal, run: (channel: TSseChannel) => Promise<() => void>): Response {
  const encoder = new TextEncoder();
  let cleanup: (() => void) | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const channel: TSseChannel = {
        get closed() {
          return closed;
        },
        send(event, data, id) {
          if (closed) return;
          controller.enqueue(encoder.encode(`${id !== undefined ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        },
        close() {
          if (closed) return;
          closed = true;
          if (heartbeat) clearInterval(heartbeat);
          cleanup?.();
          controller.close();
        },
      };
      controller.enqueue(encoder.encode("retry: 1000\n\n"));
      heartbeat = setInterval(() => !closed && controller.enqueue(encoder.encode(": ping\n\n")), HEARTBEAT_MS);
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
      closed = true;
      if (heartbeat) clearInterval(heartbeat);
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
