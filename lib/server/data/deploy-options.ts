import "server-only";
import { db } from "@/lib/server/db";
import type { TAppRef } from "@/lib/server/context";
import type { TDeployOptions } from "@/lib/core/contracts";

/** What the Deploy dialog offers: the app's repository and its services. */
export async function getDeployOptions({ app }: { app: TAppRef }): Promise<TDeployOptions> {
  const [row, services] = await Promise.all([
    db.app.findUniqueOrThrow({ where: { id: app.id }, select: { repositoryUrl: true } }),
    db.service.findMany({ where: { appId: app.id }, select: { name: true }, orderBy: { name: "asc" } }),
  ]);
  return { repository: row.repositoryUrl, services: services.map((s) => s.name) };
}
