import "server-only";
import type { TJobPayload } from "@/lib/server/jobs";
import { deliverNotification } from "@/lib/server/notifications/deliver";

// The notify job: one attempt at one delivery (lib/server/notifications/deliver.ts). It runs
// outside any stage's queue, so a slow or dead target never holds a build.

export async function notify({ deliveryId }: TJobPayload<"notify">): Promise<void> {
  await deliverNotification(deliveryId);
}
