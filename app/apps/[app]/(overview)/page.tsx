import type { Metadata } from "next";
import { getApp } from "@/lib/server/data/get-app";
import { loadOr404 } from "@/lib/server/page-data";
import { pageAccess } from "@/lib/server/page-access";
import { queryKeys } from "@/lib/client/query-keys";
import { Hydrate } from "@/components/hydrate";
import { AppPageClient } from "./page-client";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: PageProps<"/apps/[app]">): Promise<Metadata> {
  return { title: (await params).app };
}

export default async function AppPage({ params }: PageProps<"/apps/[app]">) {
  const { app: name } = await params;
  const { app, access } = await pageAccess(name);
  return (
    <Hydrate queries={[[queryKeys.app(name), await loadOr404(getApp({ app }))]]}>
      <AppPageClient name={name} access={access} />
    </Hydrate>
  );
}
