import "server-only";
import { db } from "@/lib/server/db";
import { maskSecrets } from "@/lib/core/mask";
import { withDbRetry } from "@/lib/server/db-retry";

// Log lines are buffered briefly and written in batches. Each batch takes its seq numbers from the
// build row in the same statement, so seqs are gap-free and commit in order: a reader that asks
// "after seq N" never misses a line that commits later with a smaller seq. A batch written while
// the database is down waits for it (in order) rather than being lost.

const FLUSH_MS = 100;
/** a verbose command fills batches of this many lines at once, rather than one every FLUSH_MS (20,000+ lines/s) */
const BATCH_LINES = 5_000;

export class StepLog {
  private buffer: { time: Date; text: string }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly buildId: number,
    private readonly service: string | null,
    /** the stage's secret values masked too (stageMasker); by default what looks like a credential */
    private readonly mask: (text: string) => string = maskSecrets,
  ) {}

  log = (text: string): void => {
    const time = new Date();
    for (const line of String(text).split(/\r?\n/)) this.buffer.push({ time, text: this.mask(line) });
    if (this.buffer.length >= BATCH_LINES) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  };

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.buffer.splice(0);
    if (batch.length)
      this.writing = this.writing
        .then(() => withDbRetry("writing a build's log", () => writeLines(this.buildId, this.service, batch)))
        .catch((e) => console.error("[sprout] log write failed", e));
    return this.writing;
  }
}

export async function writeLines(buildId: number, service: string | null, lines: { time: Date; text: string }[]): Promise<void> {
  const n = lines.length;
  await db.$executeRaw`
    WITH s AS (UPDATE builds SET log_seq = log_seq + ${n}::int WHERE id = ${buildId} RETURNING log_seq)
    INSERT INTO log_lines (build_id, seq, service, time, text)
    SELECT ${buildId}, s.log_seq - ${n}::int + t.ord::int, ${service}, t.time, t.text
    FROM s, unnest(${lines.map((l) => l.text)}::text[], ${lines.map((l) => l.time.toISOString())}::timestamptz[]) WITH ORDINALITY AS t(text, time, ord)`;
}
