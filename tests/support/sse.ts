// Reading a server-sent event stream the way EventSource does: each event with its id and JSON
// data, collected as they arrive (the heartbeat's pings only counted); `done` settles when the
// server closes the stream.

export type TSseEvent = {
  event: string;
  id?: number;
  data: {
    build?: { status: string; steps: { service: string; status: string }[] };
    lines?: { seq: number; text: string; service: string | null }[];
  };
};

export function readEvents(res: Response) {
  const events: TSseEvent[] = [];
  let pings = 0;
  let closedAt: number | null = null;
  const done = (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return void (closedAt = Date.now());
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const field = (name: string) =>
          block
            .split("\n")
            .find((l) => l.startsWith(`${name}: `))
            ?.slice(name.length + 2);
        const event = field("event");
        if (event === "ping") pings++;
        else if (event) events.push({ event, id: field("id") ? Number(field("id")) : undefined, data: JSON.parse(field("data")!) });
      }
    }
  })();
  return { events, done, closedAt: () => closedAt, pings: () => pings };
}

export const lineSeqs = (events: TSseEvent[]) => events.flatMap((e) => (e.event === "log" ? e.data.lines!.map((l) => l.seq) : []));

type THandler = (req: Request, ctx: never) => Promise<Response>;

/** Opens an events route as a browser's EventSource would (Last-Event-ID when resuming); `close` drops it. */
export async function openStream(handler: THandler, url: string, params: Record<string, string>, headers: Record<string, string>) {
  const abort = new AbortController();
  const req = new Request(`http://localhost${url}`, { headers: { accept: "text/event-stream", ...headers }, signal: abort.signal });
  const res = await handler(req, { params: Promise.resolve(params) } as never);
  return { res, ...readEvents(res), close: () => abort.abort() };
}
