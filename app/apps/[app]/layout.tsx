import { pageAccess } from "@/lib/server/page-access";

export const dynamic = "force-dynamic";

// Checked here for every page under the app (one added later included): an unknown app, or one the
// user has no role on, is a 404 and a signed-out visit a redirect. pageAccess is cached per request,
// so the pages' own calls (a layout is not re-run on client navigation) cost nothing more.
export default async function AppLayout({ children, params }: LayoutProps<"/apps/[app]">) {
  await pageAccess((await params).app);
  return children;
}
