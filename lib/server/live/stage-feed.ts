import "server-only";
import { db } from "@/lib/server/db";
import { subscribeStage } from "./hub";
import type { TSseChannel } from "./sse";

// The stage page refetches its history when told; changes are coalesced so that a busy build
// (a status change per step) costs the page at most a few refetches a second.
const COALESCE_MS = 150;

export async function followStage(stageId: number, channel: TSseChannel): Promise<() => void> {
  let timer: NodeJS.Timeout | null = null;
  const changed = new Set<number>();
  const flush = async () => {
    timer = null;
    const ids = [...changed];
    changed.clear();
    const rows = ids.includes(0) ? [] : await db.build.findMany({ where: { id: { in: ids } }, select: { number: true } });
    channel.send("changed", { numbers: rows.map((r) => r.number) });
  };
  const off = await subscribeStage(stageId, (c) => {
    if (c.kind === "log") return;
    changed.add(c.buildId);
    timer ??= setTimeout(() => void flush().catch(() => {}), COALESCE_MS);
  });
  channel.send("ready", {});
  return () => {
    if (timer) clearTimeout(timer);
    off();
  };
}
