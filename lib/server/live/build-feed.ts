import "server-only";
import { db } from "@/lib/server/db";
import { TERMINAL_BUILD_STATUSES } from "@/lib/core/domain";
import { getBuildById } from "@/lib/server/data/get-build";
import type { TBuildView } from "@/lib/core/contracts";
import { subscribeBuild, type TChange } from "./hub";
import type { TSseChannel } from "./sse";

// One feed per watched build, shared by all its open pages: a change is read from the database
// once and sent to every subscriber (100 pages watching one build cost one query per change).
// Log lines carry their seq as the event id; a reconnecting client sends Last-Event-ID and gets
// what it missed, then follows.
//
// Each subscriber has a cursor (the last seq it was sent) and only ever gets the line right after
// it: a batch that would leave a gap (it joined mid-build, or a notification was lost while the
// LISTEN reconnected) is not sent; the subscriber catches up from the database instead, from its
// own cursor, until it has reached what the feed has sent everybody. Seqs commit in order (see
// lib/worker/step-log.ts), so "after my cursor" never skips a line that commits later.

type TLine = { seq: number; service: string | null; time: string; text: string };
type TSubscriber = {
  channel: TSseChannel;
  cursor: number;
  /** set until its first snapshot is sent (the feed sends it nothing before); settled with that snapshot */
  joining: { resolve: (b: TBuildView) => void; reject: (e: unknown) => void } | null;
  catchingUp: Promise<void> | null;
  ending: boolean;
};

const LOG_BATCH = 2000;
/** reads (20 ms apart) that may come back short of lines the feed already saw, before giving up */
const CATCH_UP_RETRIES = 250;

async function linesAfter(buildId: number, after: number, limit = LOG_BATCH): Promise<TLine[]> {
  const rows = await db.logLine.findMany({ where: { buildId, seq: { gt: after } }, orderBy: { seq: "asc" }, take: limit });
  return rows.map((r) => ({ seq: r.seq, service: r.service, time: r.time.toISOString(), text: r.text }));
}

const logged = (e: unknown) => console.error("[sprout] build feed", e);

class BuildFeed {
  readonly subscribers = new Set<TSubscriber>();
  /** every subscriber that is not catching up has been sent the lines up to here */
  private lastSeq = 0;
  private snapshotRunning: Promise<void> | null = null;
  /** who the next snapshot read goes to: everybody after a change, else the subscribers joining */
  private snapshotFor: Set<TSubscriber> | "all" | null = null;
  private logsRunning: Promise<void> | null = null;
  private logsAgain = false;
  unsubscribe: (() => void) | null = null;

  constructor(readonly buildId: number) {}

  async start(): Promise<void> {
    this.unsubscribe = await subscribeBuild(this.buildId, (c) => this.onChange(c));
    const b = await db.build.findUniqueOrThrow({ where: { id: this.buildId }, select: { logSeq: true } });
    this.lastSeq = Math.max(this.lastSeq, b.logSeq);
  }

  private onChange(change: TChange) {
    if (change.kind !== "log") this.pushSnapshot("all");
    if (change.kind !== "build") this.pushLogs();
    // after a reconnect, notifications may have been lost: each subscriber re-reads from its cursor
    if (change.kind === "resync") for (const s of this.subscribers) this.repair(s);
  }

  /** Snapshots are read one at a time, so that each subscriber gets them in the order they were read. */
  pushSnapshot(to: TSubscriber | "all") {
    if (to === "all") this.snapshotFor = "all";
    else if (this.snapshotFor !== "all") this.snapshotFor = new Set(this.snapshotFor).add(to);
    this.snapshotRunning ??= (async () => {
      while (this.snapshotFor) {
        const targets = this.snapshotFor === "all" ? [...this.subscribers] : [...this.snapshotFor];
        this.snapshotFor = null;
        let build: TBuildView;
        try {
          build = await getBuildById(this.buildId);
        } catch (e) {
          // the joining streams fail (their clients retry); the others get the next change's snapshot
          for (const s of this.subscribers) s.joining?.reject(e);
          throw e;
        }
        const payload = { build }; // one object: serialized once for all (sse.ts)
        for (const s of targets) {
          s.channel.send("build", payload);
          s.joining?.resolve(build);
          s.joining = null;
        }
        if (TERMINAL_BUILD_STATUSES.includes(build.status)) await this.endAll();
      }
    })()
      .catch(logged)
      .finally(() => (this.snapshotRunning = null));
  }

  pushLogs() {
    if (this.logsRunning) return void (this.logsAgain = true);
    this.logsRunning = (async () => {
      do {
        this.logsAgain = false;
        let lines: TLine[];
        do {
          lines = await linesAfter(this.buildId, this.lastSeq);
          if (!lines.length) break;
          this.lastSeq = Math.max(this.lastSeq, lines.at(-1)!.seq);
          const whole = { lines }; // every subscriber that is up to date gets this one object
          for (const s of this.subscribers) this.send(s, lines, whole);
        } while (lines.length === LOG_BATCH);
      } while (this.logsAgain);
    })()
      .catch(logged)
      .finally(() => (this.logsRunning = null));
  }

  /** Sends the lines after the subscriber's cursor, if they follow it without a gap; else it catches up. */
  private send(s: TSubscriber, lines: TLine[], whole: { lines: TLine[] }) {
    if (s.joining) return;
    const fresh = lines.filter((l) => l.seq > s.cursor);
    if (!fresh.length) return;
    if (fresh[0]!.seq !== s.cursor + 1) return this.repair(s);
    s.cursor = fresh.at(-1)!.seq;
    s.channel.send("log", fresh.length === lines.length ? whole : { lines: fresh }, s.cursor);
  }

  /** Catches a live subscriber up; if that fails, its stream closes and the client resumes by reconnecting. */
  private repair(s: TSubscriber) {
    if (s.joining || s.ending) return;
    this.catchUp(s).catch((e) => {
      logged(e);
      s.channel.close();
    });
  }

  /** Reads the subscriber's missing lines from the database until it has all the feed has sent (and `until`). */
  catchUp(s: TSubscriber, until = 0): Promise<void> {
    s.catchingUp ??= (async () => {
      let behind = 0;
      while (!s.channel.closed) {
        const lines = await linesAfter(this.buildId, s.cursor);
        // read from its cursor: these follow it (a live batch may have moved it meanwhile)
        const fresh = lines.filter((l) => l.seq > s.cursor);
        if (fresh.length) {
          behind = 0;
          s.cursor = fresh.at(-1)!.seq;
          s.channel.send("log", { lines: fresh }, s.cursor);
          continue;
        }
        if (s.cursor >= Math.max(this.lastSeq, until)) return;
        // the feed has sent others lines this read did not see yet: they are committed, read again
        if (++behind > CATCH_UP_RETRIES) throw new Error(`build ${this.buildId}: log lines after seq ${s.cursor} did not appear`);
        await new Promise((r) => setTimeout(r, 20));
      }
    })().finally(() => (s.catchingUp = null));
    return s.catchingUp;
  }

  /** The build has ended: every subscriber gets the rest of its log, then `end`. */
  private async endAll() {
    await this.logsRunning;
    const { logSeq } = await db.build.findUniqueOrThrow({ where: { id: this.buildId }, select: { logSeq: true } });
    for (const s of this.subscribers) if (!s.joining) void this.end(s, logSeq).catch(logged);
  }

  async end(s: TSubscriber, finalSeq: number) {
    if (s.ending) return;
    s.ending = true;
    try {
      while (s.cursor < finalSeq && !s.channel.closed) await this.catchUp(s, finalSeq);
      s.channel.send("end", {});
    } finally {
      s.channel.close(); // after a failure too: the client reconnects and resumes from its Last-Event-ID
    }
  }
}

const feeds = new Map<number, Promise<BuildFeed>>();

/** Streams a build to one client: a snapshot, the log lines after `lastSeq`, then every change live. */
export async function followBuild(buildId: number, lastSeq: number, channel: TSseChannel): Promise<() => void> {
  let pending = feeds.get(buildId);
  if (!pending) {
    const feed = new BuildFeed(buildId);
    pending = feed.start().then(() => feed);
    feeds.set(buildId, pending);
    pending.catch(() => feeds.delete(buildId));
  }
  const feed = await pending;
  const sub: TSubscriber = { channel, cursor: lastSeq, joining: null, catchingUp: null, ending: false };
  const joined = new Promise<TBuildView>((resolve, reject) => (sub.joining = { resolve, reject }));
  feed.subscribers.add(sub); // join first: whatever commits after the reads below reaches us
  const leave = () => {
    feed.subscribers.delete(sub);
    if (!feed.subscribers.size && feeds.get(buildId) === pending) {
      feeds.delete(buildId);
      feed.unsubscribe?.();
    }
  };
  try {
    feed.pushSnapshot(sub);
    const build = await joined;
    if (TERMINAL_BUILD_STATUSES.includes(build.status)) {
      const { logSeq } = await db.build.findUniqueOrThrow({ where: { id: buildId }, select: { logSeq: true } });
      await feed.end(sub, logSeq);
    } else await feed.catchUp(sub);
  } catch (e) {
    leave();
    throw e;
  }
  return leave;
}
