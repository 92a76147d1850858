import { getStageByName } from "@/lib/server/data/lookup";
import { loadOr404 } from "@/lib/server/page-data";

export const dynamic = "force-dynamic";

// Checked above the stage's and its builds' loading.tsx, so that an unknown stage is a real 404 status.
export default async function StageLayout({ children, params }: LayoutProps<"/apps/[app]/stages/[stage]">) {
  const { app, stage } = await params;
  await loadOr404(getStageByName(app, stage));
  return children;
}
