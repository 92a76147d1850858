import type { Metadata } from "next";
import { getStage } from "@/lib/server/data/get-stage";
import { listBuilds } from "@/lib/server/data/list-builds";
import { loadOr404 } from "@/lib/server/page-data";
import { pageAccess } from "@/lib/server/page-access";
import { StagePageClient } from "./page-client";

export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ app: string; stage: string }> };

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  const { app, stage } = await params;
  return { title: `${stage} · ${app}` };
}

export default async function StagePage({ params }: TProps) {
  const { app, stage } = await params;
  const { access } = await pageAccess(app);
  const [info, firstPage] = await loadOr404(Promise.all([getStage(app, stage), listBuilds(app, stage)]));
  return <StagePageClient stage={info.stage} initialPage={firstPage} access={access} />;
}
