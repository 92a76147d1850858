import "server-only";
import type { TJobPayload } from "@/lib/server/jobs";
import { deliverNotification } from "@/lib/server/notifications/deliver";

// The notify job: one attempt at one delivery (lib/server/notifications/deliver.ts). It runs
// outside any stage's queue, in the worker's notification runner (SPROUT_NOTIFY_CONCURRENCY slots,
// apart from the build slots), so a slow or dead target never holds a build.

export async function notify({ deliveryId }: TJobPayload<"notify">): Promise<void> {
  await deliverNotification(deliveryId);
}
