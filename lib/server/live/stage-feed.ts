import "server-only";
import { subscribeStage } from "./hub";
import type { TSseChannel } from "./sse";

// The stage page refetches its history when told `changed`; changes are coalesced so that a busy
// build (a status change per step) costs the page at most a few refetches a second.
const COALESCE_MS = 150;

export async function followStage(stageId: number, channel: TSseChannel): Promise<() => void> {
  let timer: NodeJS.Timeout | null = null;
  const off = await subscribeStage(stageId, (c) => {
    if (c.kind === "log") return;
    timer ??= setTimeout(() => {
      timer = null;
      channel.send("changed", {});
    }, COALESCE_MS);
  });
  channel.send("ready", {});
  return () => {
    if (timer) clearTimeout(timer);
    off();
  };
}
