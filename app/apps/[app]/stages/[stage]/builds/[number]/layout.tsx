import { getAppByName, getBuildRow, parseBuildNumber } from "@/lib/server/data/lookup";
import { loadOr404 } from "@/lib/server/page-data";

export const dynamic = "force-dynamic";

// Checked above the build page's loading.tsx, so that an unknown build is a real 404 status.
export default async function BuildLayout({ children, params }: LayoutProps<"/apps/[app]/stages/[stage]/builds/[number]">) {
  const { app, stage, number } = await params;
  await loadOr404((async () => getBuildRow(await getAppByName(app), stage, parseBuildNumber(number)))());
  return children;
}
