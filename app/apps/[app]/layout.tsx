import { pageAccess } from "@/lib/server/page-access";

export const dynamic = "force-dynamic";

// Checked here, above every loading.tsx of the app's pages, so that an unknown app (or one the user
// has no role on) answers a real 404 status and a signed-out visit a real redirect: once a loading
// skeleton has streamed, the status is already 200. The pages check again: a layout is not re-run
// when the browser moves between them.
export default async function AppLayout({ children, params }: { children: React.ReactNode; params: Promise<{ app: string }> }) {
  await pageAccess((await params).app);
  return children;
}
