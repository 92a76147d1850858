import type { Metadata } from "next";
import { getBuild } from "@/lib/server/data/get-build";
import { loadOr404 } from "@/lib/server/page-data";
import { pageAccess } from "@/lib/server/page-access";
import { BuildPageClient } from "./page-client";

export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ app: string; stage: string; number: string }> };

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  const { app, stage, number } = await params;
  return { title: `#${number} · ${stage} · ${app}` };
}

export default async function BuildPage({ params }: TProps) {
  const { app, stage, number } = await params;
  const { access } = await pageAccess(app);
  const data = await loadOr404(getBuild(app, stage, number));
  return <BuildPageClient app={app} stage={stage} access={access} initialData={data} />;
}
