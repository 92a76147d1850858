import type { Metadata } from "next";
import { getApp } from "@/lib/server/data/get-app";
import { loadOr404 } from "@/lib/server/page-data";
import { pageAccess } from "@/lib/server/page-access";
import { AppPageClient } from "./page-client";

export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ app: string }> };

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  return { title: (await params).app };
}

export default async function AppPage({ params }: TProps) {
  const { app } = await params;
  const { access } = await pageAccess(app);
  return <AppPageClient name={app} access={access} initialData={await loadOr404(getApp(app))} />;
}
