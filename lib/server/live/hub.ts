import "server-only";
import pg from "pg";
import { databaseUrl } from "@/lib/server/db";
import { liveStats } from "./stats";

// The web process holds ONE LISTEN connection on "sprout_events" (the sprout_notify_* triggers of
// the migrations announce builds, steps and log lines there) and fans notifications out in memory
// to the open streams. When the connection drops it reconnects, with backoff, for as long as it
// takes; after every reconnect each subscriber is told to re-read (`resync`), since notifications
// sent meanwhile are lost.

export type TChange = { kind: "build" | "log" | "resync"; stageId: number; buildId: number };
type TListener = (change: TChange) => void;

const byBuild = new Map<number, Set<TListener>>();
const byStage = new Map<number, Set<TListener>>();
let client: pg.Client | null = null;
let connecting: Promise<void> | null = null;
/** the connection was lost: the next one that comes up must tell every subscriber to re-read */
let lost = false;
let retry: NodeJS.Timeout | null = null;
let retryDelay = 0;

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5_000;

function dispatch(change: TChange) {
  for (const fn of byBuild.get(change.buildId) ?? []) fn(change);
  for (const fn of byStage.get(change.stageId) ?? []) fn(change);
}

function resyncAll() {
  for (const [buildId, set] of byBuild) for (const fn of [...set]) fn({ kind: "resync", stageId: 0, buildId });
  for (const [stageId, set] of byStage) for (const fn of [...set]) fn({ kind: "resync", stageId, buildId: 0 });
}

async function connect(): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl(), application_name: "sprout-live" });
  c.on("notification", (msg) => {
    const [kind, stageId, buildId] = (msg.payload ?? "").split(":");
    dispatch({ kind: kind === "l" ? "log" : "build", stageId: Number(stageId), buildId: Number(buildId) });
  });
  const dropped = () => {
    if (client !== c) return;
    client = null;
    liveStats.listening = 0;
    lost = true;
    c.end().catch(() => {});
    scheduleReconnect();
  };
  c.on("error", dropped);
  c.on("end", dropped);
  try {
    await c.connect();
    await c.query("LISTEN sprout_events");
  } catch (e) {
    c.end().catch(() => {});
    throw e;
  }
  client = c;
  liveStats.listening = 1;
  retryDelay = 0;
  if (lost) {
    lost = false;
    liveStats.listenReconnects += 1;
    resyncAll();
  }
}

function ensureConnected(): Promise<void> {
  if (client) return Promise.resolve();
  connecting ??= connect().finally(() => (connecting = null));
  return connecting;
}

/** Retries until the LISTEN is back (250 ms, doubling up to 5 s), while anybody listens. */
function scheduleReconnect() {
  if (retry) return;
  retryDelay = retryDelay ? Math.min(retryDelay * 2, RETRY_MAX_MS) : RETRY_FIRST_MS;
  retry = setTimeout(() => {
    retry = null;
    if (client || (!byBuild.size && !byStage.size)) return; // nobody listens: the next subscriber connects
    ensureConnected().catch((e) => {
      console.error(`[sprout] live updates: LISTEN reconnect failed (${(e as Error).message}); retrying`);
      scheduleReconnect();
    });
  }, retryDelay);
  retry.unref?.();
}

function subscribe(map: Map<number, Set<TListener>>, key: number, fn: TListener): () => void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(fn);
  return () => {
    set.delete(fn);
    if (!set.size && map.get(key) === set) map.delete(key);
  };
}

/** Resolves once the LISTEN is in place, so that no change after the caller's first read is missed. */
export function subscribeBuild(buildId: number, fn: TListener): Promise<() => void> {
  return connected(subscribe(byBuild, buildId, fn));
}

export function subscribeStage(stageId: number, fn: TListener): Promise<() => void> {
  return connected(subscribe(byStage, stageId, fn));
}

/** A subscription counts once the LISTEN is up; when it cannot be set up, the listener is removed again. */
async function connected(off: () => void): Promise<() => void> {
  try {
    await ensureConnected();
  } catch (e) {
    off();
    throw e;
  }
  return off;
}
