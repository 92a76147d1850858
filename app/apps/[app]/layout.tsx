import { getAppByName } from "@/lib/data/lookup";
import { loadOr404 } from "@/lib/page-data";

export const dynamic = "force-dynamic";

// Checked here, above every loading.tsx of the app's pages, so that an unknown app answers a real
// 404 status: once a loading skeleton has streamed, the status is already 200.
export default async function AppLayout({ children, params }: { children: React.ReactNode; params: Promise<{ app: string }> }) {
  await loadOr404(getAppByName((await params).app));
  return children;
}
