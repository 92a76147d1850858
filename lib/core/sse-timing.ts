// The live streams' timing, shared by the server (lib/server/live/sse.ts) and the pages' hooks.

/** The server sends a `ping` event this often on every open stream. */
export const SSE_HEARTBEAT_MS = 5_000;
/** A page that hears nothing for this long treats its stream as down: it polls and reconnects. */
export const SSE_SILENCE_MS = 2 * SSE_HEARTBEAT_MS + 2_000;
