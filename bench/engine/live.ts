// Engine benchmark, live: build events fanned out over SSE to 100 clients on each change of a
// running build, and which process holds the LISTEN sprout_events connection (Linux /proc).
import fs from "node:fs";
import { service } from "@/tests/support/fixtures";
import { authHeaders, processTree, sleep } from "../support";
import { api, commit, ctx, ms, progress, quantile, until, type TBuild, type TRow } from "./client";

const LIVE = { clients: 100, changes: 20, targetMedianMs: 200, stepSeconds: 90 };

// One SSE client: Node fetch with a streaming body; `build` events are handed to `onBuild` with
// the time their chunk arrived.
export class SseClient {
  private readonly abort = new AbortController();
  builds = 0;
  onBuild: ((b: TBuild, at: number) => void) | null = null;
  ended = false;
  constructor(private readonly url: string) {}

  async open(): Promise<void> {
    const res = await fetch(this.url, { headers: { ...authHeaders, accept: "text/event-stream" }, signal: this.abort.signal });
    if (res.status !== 200 || !res.body) throw new Error(`GET ${this.url}: ${res.status}`);
    void this.read(res.body.getReader()).catch((e) => {
      if (!this.abort.signal.aborted) console.error("[bench] sse client", e);
    });
  }

  private async read(reader: ReadableStreamDefaultReader<Uint8Array>) {
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return void (this.ended = true);
      const at = performance.now();
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let event = "message";
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        if (event === "build" && data.length) {
          this.builds++;
          this.onBuild?.((JSON.parse(data.join("\n")) as { build: TBuild }).build, at);
        }
      }
    }
  }

  close() {
    this.abort.abort();
  }
}

/** Which of `owners` (name -> root pid) holds the local TCP socket on `port` (Linux /proc). */
function socketOwner(port: number, owners: Record<string, number>): string {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of (fs.existsSync(table) ? fs.readFileSync(table, "utf8") : "").split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1] && parseInt(cols[1].split(":")[1]!, 16) === port) inodes.add(cols[9]!);
    }
  }
  for (const [name, root] of Object.entries(owners)) {
    for (const pid of processTree(root)) {
      try {
        for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
          const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
          if (inodes.has(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? "")) return name;
        }
      } catch {} // exited, or not ours to read
    }
  }
  return "another process";
}

export async function listenConnections(
  dbName: string,
  owners: Record<string, number>,
): Promise<{ sprout: number; where: string; all: string }> {
  const { rows } = await ctx.db.query<{ query: string; port: number | null }>(
    `SELECT query, client_port AS port FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN%' ORDER BY query`,
    [dbName],
  );
  const sprout = rows.filter((r) => /^LISTEN sprout_events/i.test(r.query));
  const where = sprout.map((r) => (r.port ? socketOwner(r.port, owners) : "unknown")).join(", ") || "none";
  const all =
    rows.map((r) => `${r.query.replace(/\s+/g, " ").trim()} (${r.port ? socketOwner(r.port, owners) : "unknown"})`).join(" | ") || "none";
  return { sprout: sprout.length, where, all };
}

/** The id of the `slow` step of `app`'s prod build #`number`: the live benches change it to make events. */
export async function slowStepId(app: string, number: number): Promise<number> {
  const {
    rows: [step],
  } = await ctx.db.query<{ id: number }>(
    `SELECT s.id FROM steps s JOIN builds b ON b.id = s.build_id JOIN stages st ON st.id = b.stage_id JOIN apps a ON a.id = st.app_id
     WHERE a.name = $1 AND b.number = $2 AND s.service = 'slow'`,
    [app, number],
  );
  return step!.id;
}

/**
 * Writes `changes` markers into the step's error, one at a time, and times each from its UPDATE to
 * the `build` event carrying it at every client: every pair's latency, and per change the last
 * client's. `pauseMs` between changes.
 */
export async function timeChanges(
  clients: SseClient[],
  stepId: number,
  o: { changes: number; timeoutMs: number; pauseMs: number },
): Promise<{ latencies: number[]; perChange: number[] }> {
  const latencies: number[] = [];
  const perChange: number[] = [];
  for (let n = 1; n <= o.changes; n++) {
    const marker = `tick ${n}`;
    let sent = 0;
    const arrived = Promise.all(
      clients.map(
        (c) =>
          new Promise<void>((resolve) => {
            c.onBuild = (b, at) => {
              if (b.steps.find((s) => s.service === "slow")?.error !== marker) return;
              c.onBuild = null;
              latencies.push(at - sent);
              resolve();
            };
          }),
      ),
    );
    sent = performance.now();
    await ctx.db.query("UPDATE steps SET error = $1 WHERE id = $2", [marker, stepId]);
    await Promise.race([
      arrived,
      sleep(o.timeoutMs).then(() => Promise.reject(new Error(`change ${n} did not reach every client within ${o.timeoutMs / 1000} s`))),
    ]);
    perChange.push(performance.now() - sent);
    await sleep(o.pauseMs);
  }
  return { latencies, perChange };
}

export async function benchLive(dbName: string, owners: Record<string, number>): Promise<TRow[]> {
  const app = "live";
  await api("POST", "/api/apps", { name: app, stages: [{ name: "prod" }] });
  const { build } = await api<{ build: TBuild }>("POST", `/api/apps/${app}/stages/prod/builds`, {
    commit: commit("one slow step"),
    services: [{ name: "slow", template: service({ seconds: LIVE.stepSeconds }) }],
  });
  await until("the live build's step to run", async () => (await progress(app, build.number))?.firstStep != null, 30_000);
  const stepId = await slowStepId(app, build.number);

  const eventsUrl = `${ctx.base}/api/apps/${app}/stages/prod/builds/${build.number}/events`;
  const clients = Array.from({ length: LIVE.clients }, () => new SseClient(eventsUrl));
  const t0 = performance.now();
  const snapshots = Promise.all(clients.map((c) => new Promise<void>((resolve) => (c.onBuild = () => resolve()))));
  await Promise.all(clients.map((c) => c.open()));
  await Promise.race([
    snapshots,
    sleep(30_000).then(() => Promise.reject(new Error("not every SSE client got its first snapshot within 30 s"))),
  ]);
  const connectMs = performance.now() - t0;
  const listens = await listenConnections(dbName, owners);

  const { latencies, perChange } = await timeChanges(clients, stepId, { changes: LIVE.changes, timeoutMs: 10_000, pauseMs: 50 }).finally(
    () => clients.forEach((c) => c.close()),
  );
  const events = clients.reduce((a, c) => a + c.builds, 0) / clients.length;
  const median = quantile(latencies, 0.5);
  return [
    {
      name: "live",
      what: `UPDATE -> build event, ${LIVE.clients} SSE clients`,
      figures: `median ${ms(median)}  p95 ${ms(quantile(latencies, 0.95))}`,
      target: `<= ${LIVE.targetMedianMs} ms`,
      ok: median <= LIVE.targetMedianMs,
      detail: [
        `${LIVE.changes} changes x ${LIVE.clients} clients = ${latencies.length} pairs; last client per change: median ${ms(quantile(perChange, 0.5))}, max ${ms(Math.max(...perChange))}; ` +
          `all ${LIVE.clients} connected with their snapshot in ${ms(connectMs)}; ${events.toFixed(1)} build events per client for ${LIVE.changes} changes (+1 snapshot)`,
      ],
    },
    {
      name: "live",
      what: "LISTEN sprout_events connections",
      figures: `${listens.sprout} (held by: ${listens.where})`,
      target: "exactly 1, web",
      ok: listens.sprout === 1 && listens.where === "web",
      detail: [`every LISTEN connection on the database: ${listens.all}`],
    },
  ];
}
