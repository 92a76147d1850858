"use client";
import "client-only";
import { useEffect, useRef, useState } from "react";
import { SSE_SILENCE_MS } from "@/lib/core/sse-timing";

type THandlers = Record<string, (e: MessageEvent<string>) => void>;

/**
 * An EventSource on `url` while `enabled`. Returns whether it is streaming: heard from (any event,
 * the server's pings included, the first at once) within SSE_SILENCE_MS; an open stream that says
 * nothing does not count. A stream that falls silent is
 * treated as down (callers poll meanwhile) and opened again; one the server refuses (a 404, a
 * non-SSE answer) stays closed, and polling takes over. A handler may return "close" to end it.
 */
export function useEventStream(url: string, enabled: boolean, handlers: THandlers): { streaming: boolean } {
  const [streaming, setStreaming] = useState(false);
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    let es: EventSource | null = null;
    let heardAt = 0;
    let done = false;
    let lastId = "";
    const open = () => {
      es?.close();
      heardAt = Date.now();
      // a new EventSource sends no Last-Event-ID: the position it had reached goes in the URL
      const source = (es = new EventSource(lastId ? `${url}${url.includes("?") ? "&" : "?"}after=${encodeURIComponent(lastId)}` : url));
      const heard = () => {
        heardAt = Date.now();
        setStreaming(true);
      };
      // open is not enough: a proxy that buffers opens streams that never deliver. The server pings at once.
      source.onopen = () => (heardAt = Date.now());
      source.onerror = () => setStreaming(false); // EventSource retries by itself (Last-Event-ID)
      source.addEventListener("ping", heard);
      for (const name of Object.keys(latest.current)) {
        source.addEventListener(name, (e) => {
          heard();
          if ((e as MessageEvent).lastEventId) lastId = (e as MessageEvent).lastEventId;
          latest.current[name]?.(e as MessageEvent<string>);
          if (name === "end") {
            done = true;
            source.close();
            setStreaming(false);
          }
        });
      }
    };
    open();
    const watchdog = setInterval(() => {
      if (done || !es || es.readyState === EventSource.CLOSED) return;
      if (Date.now() - heardAt > SSE_SILENCE_MS) {
        setStreaming(false);
        open(); // a silent connection may be dead without an error: start over (it resumes by Last-Event-ID)
      }
    }, 1000);
    return () => {
      done = true;
      clearInterval(watchdog);
      es?.close();
      setStreaming(false);
    };
  }, [url, enabled]);

  return { streaming };
}
