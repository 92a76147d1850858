import "server-only";
import { db } from "@/lib/server/db";
import { TERMINAL_BUILD_STATUSES } from "@/lib/core/domain";
import { getBuildById } from "@/lib/server/data/get-build";
import { subscribeBuild, type TChange } from "./hub";
import type { TSseChannel } from "./sse";

// One feed per watched build, shared by all its open pages: a change is read from the database
// once and sent to every subscriber (100 pages watching one build cost one query per change).
// Log lines carry their seq as the event id; a reconnecting client sends Last-Event-ID and gets
// what it missed, then follows.

type TLine = { seq: number; service: string | null; time: string; text: string };
type TSubscriber = { channel: TSseChannel; lastSeq: number };

const LOG_BATCH = 2000;

async function linesAfter(buildId: number, after: number, limit = LOG_BATCH): Promise<TLine[]> {
  const rows = await db.logLine.findMany({ where: { buildId, seq: { gt: after } }, orderBy: { seq: "asc" }, take: limit });
  return rows.map((r) => ({ seq: r.seq, service: r.service, time: r.time.toISOString(), text: r.text }));
}

class BuildFeed {
  readonly subscribers = new Set<TSubscriber>();
  private lastSeq = 0;
  private snapshotRunning: Promise<void> | null = null;
  private snapshotAgain = false;
  private logsRunning: Promise<void> | null = null;
  private logsAgain = false;
  unsubscribe: (() => void) | null = null;

  constructor(readonly buildId: number) {}

  async start(): Promise<void> {
    this.unsubscribe = await subscribeBuild(this.buildId, (c) => this.onChange(c));
    const b = await db.build.findUniqueOrThrow({ where: { id: this.buildId }, select: { logSeq: true } });
    this.lastSeq = b.logSeq;
  }

  private onChange(change: TChange) {
    if (change.kind !== "log") this.pushSnapshot();
    if (change.kind !== "build") this.pushLogs();
  }

  pushSnapshot() {
    if (this.snapshotRunning) return void (this.snapshotAgain = true);
    this.snapshotRunning = (async () => {
      do {
        this.snapshotAgain = false;
        const build = await getBuildById(this.buildId);
        for (const s of this.subscribers) s.channel.send("build", { build });
        if (TERMINAL_BUILD_STATUSES.includes(build.status)) await this.endWhenLogsSent();
      } while (this.snapshotAgain);
    })()
      .catch((e) => console.error("[sprout] build feed", e))
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
          this.lastSeq = lines.at(-1)!.seq;
          for (const s of this.subscribers) sendLines(s, lines);
        } while (lines.length === LOG_BATCH);
      } while (this.logsAgain);
    })()
      .catch((e) => console.error("[sprout] build feed", e))
      .finally(() => (this.logsRunning = null));
  }

  private async endWhenLogsSent() {
    await this.logsRunning;
    const lines = await linesAfter(this.buildId, this.lastSeq);
    if (lines.length) {
      this.lastSeq = lines.at(-1)!.seq;
      for (const s of this.subscribers) sendLines(s, lines);
    }
    for (const s of this.subscribers) {
      s.channel.send("end", {});
      s.channel.close();
    }
  }
}

function sendLines(s: TSubscriber, lines: TLine[]) {
  const fresh = lines.filter((l) => l.seq > s.lastSeq);
  if (!fresh.length) return;
  s.lastSeq = fresh.at(-1)!.seq;
  s.channel.send("log", { lines: fresh }, s.lastSeq);
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
  const sub: TSubscriber = { channel, lastSeq };
  feed.subscribers.add(sub); // join first: whatever commits after the replay below reaches us
  const leave = () => {
    feed.subscribers.delete(sub);
    if (!feed.subscribers.size && feeds.get(buildId) === pending) {
      feeds.delete(buildId);
      feed.unsubscribe?.();
    }
  };
  const build = await getBuildById(buildId);
  channel.send("build", { build });
  for (;;) {
    const lines = await linesAfter(buildId, sub.lastSeq);
    if (!lines.length) break;
    sendLines(sub, lines);
  }
  if (TERMINAL_BUILD_STATUSES.includes(build.status)) {
    channel.send("end", {});
    channel.close();
    leave();
  }
  return leave;
}
