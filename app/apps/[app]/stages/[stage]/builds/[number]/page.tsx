import type { Metadata } from "next";
import { getBuild } from "@/lib/server/data/get-build";
import { loadOr404 } from "@/lib/server/page-data";
import { parseBuildNumber } from "@/lib/server/data/lookup";
import { pageAccess } from "@/lib/server/page-access";
import { BuildPageClient } from "./page-client";

export const dynamic = "force-dynamic";

type TProps = PageProps<"/apps/[app]/stages/[stage]/builds/[number]">;

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  const { app, stage, number } = await params;
  return { title: `#${number} · ${stage} · ${app}` };
}

export default async function BuildPage({ params }: TProps) {
  const { app, stage, number } = await params;
  const { app: appRef, access } = await pageAccess(app);
  const data = await loadOr404(getBuild({ app: appRef, stage, number: parseBuildNumber(number) }));
  return <BuildPageClient app={app} stage={stage} access={access} initialData={data} />;
}
